package plaza.platform.http;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.helidon.config.Config;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import plaza.platform.config.ConfigLists;

/**
 * Cross-origin rules from {@code cors.*} (or seed 003's {@code ALLOWED_ORIGINS},
 * {@code ALLOWED_METHODS}, {@code ALLOWED_HEADERS}). The default allows no other origin: a
 * browser page on another site gets nothing until an operator lists it. {@code *} allows any
 * origin (without credentials). The same origin list guards WebSocket upgrades.
 */
public final class CorsPolicy implements Filter {

    private static final HeaderName REQUEST_METHOD = HeaderNames.create("Access-Control-Request-Method");
    private static final HeaderName REQUEST_HEADERS = HeaderNames.create("Access-Control-Request-Headers");
    /**
     * Response headers a page may read besides the CORS-safelisted ones: where a created resource is,
     * when to retry after a 429/503, the validator for conditional requests, and the next/previous page.
     */
    static final String EXPOSED_HEADERS = "Location, Retry-After, ETag, Link";

    private final Set<String> origins;
    private final boolean anyOrigin;
    private final Set<String> methods;
    private final Set<String> headers;
    private final String methodsHeader;
    private final String headersHeader;
    private final long maxAgeSeconds;

    private CorsPolicy(List<String> origins, List<String> methods, List<String> headers, long maxAgeSeconds) {
        this.anyOrigin = origins.contains("*");
        this.origins = origins.stream().map(CorsPolicy::normalizeOrigin).collect(Collectors.toUnmodifiableSet());
        this.methods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.headers = headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.methodsHeader = String.join(", ", methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList());
        this.headersHeader = String.join(", ", headers);
        this.maxAgeSeconds = maxAgeSeconds;
    }

    public static CorsPolicy create(Config cors) {
        return new CorsPolicy(
                ConfigLists.read(cors.get("allowed-origins"), List.of()),
                ConfigLists.read(cors.get("allowed-methods"), List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")),
                ConfigLists.read(cors.get("allowed-headers"), List.of("Authorization", "Content-Type", "Accept", "traceparent")),
                cors.get("max-age-seconds").asLong().orElse(600L));
    }

    /** Whether a page served from {@code origin} may call us (also used for WebSocket upgrades). */
    public boolean allowsOrigin(String origin) {
        return anyOrigin || origin != null && origins.contains(normalizeOrigin(origin));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        var origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            chain.proceed();
            return;
        }
        boolean preflight = req.prologue().method() == Method.OPTIONS && req.headers().contains(REQUEST_METHOD);
        if (preflight) {
            preflight(req, res, origin.get());
            return;
        }
        if (allowsOrigin(origin.get())) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, anyOrigin ? "*" : origin.get());
            res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
            res.header(HeaderNames.VARY, "Origin");
        }
        // A disallowed origin still gets its answer without CORS headers: the browser withholds it.
        chain.proceed();
    }

    private void preflight(RoutingRequest req, RoutingResponse res, String origin) {
        String method = req.headers().first(REQUEST_METHOD).orElse("").trim().toUpperCase(Locale.ROOT);
        if (!allowsOrigin(origin)) {
            Problems.send(req, res, ProblemException.forbidden("Origin " + truncate(origin) + " is not allowed by this server's CORS policy."));
            return;
        }
        if (!methods.contains(method)) {
            Problems.send(req, res, ProblemException.forbidden("Method " + truncate(method) + " is not allowed by this server's CORS policy."));
            return;
        }
        for (String header : req.headers().first(REQUEST_HEADERS).orElse("").split(",")) {
            String name = header.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !headers.contains(name)) {
                Problems.send(req, res, ProblemException.forbidden("Header " + truncate(name) + " is not allowed by this server's CORS policy."));
                return;
            }
        }
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, anyOrigin ? "*" : origin);
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methodsHeader);
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, headersHeader);
        res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, String.valueOf(maxAgeSeconds));
        res.header(HeaderNames.VARY, "Origin");
        res.status(Status.NO_CONTENT_204).send();
    }

    private static String normalizeOrigin(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    private static String truncate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
