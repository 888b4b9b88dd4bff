package plaza.platform.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import plaza.platform.http.CorsPolicy;
import plaza.platform.http.ProblemException;
import plaza.platform.observe.HttpMetrics;

/**
 * Who may open a WebSocket ({@code /chat/ws}, {@code /ai/ws}): an allowed {@code Origin} (or none, as from wscat) and a valid
 * access token from {@code Authorization: Bearer …}, {@code ?token=…} or {@code
 * Sec-WebSocket-Protocol: bearer, <token>} (browsers cannot set headers on a WebSocket). The
 * WebSocket upgrade and the HTTP route behind it (which answers the 401/403 that Helidon 4.1.2
 * cannot send from a rejected upgrade) ask the same gate.
 */
public final class UpgradeGate {

    /** The subprotocol a browser offers next to its token; the server answers with it. */
    public static final String BEARER_PROTOCOL = "bearer";
    public static final HeaderName PROTOCOL = HeaderNames.create("Sec-WebSocket-Protocol");

    private final CorsPolicy origins;
    private final TokenVerifier tokens;

    /** An admitted upgrade: the caller, and whether the client offered the {@code bearer} subprotocol (to echo it). */
    public record Admission(Caller caller, boolean subprotocol) {
    }

    public UpgradeGate(CorsPolicy origins, TokenVerifier tokens) {
        this.origins = origins;
        this.tokens = tokens;
    }

    /**
     * A connection's fresh token ({@code {"action":"auth","token":…}}), so it may outlive the token it opened
     * with: 400 without a token, 401 if it does not verify, 403 if it names another user than {@code current}.
     */
    public Caller renew(Caller current, Object token) {
        if (!(token instanceof String text) || text.isBlank()) {
            throw ProblemException.badRequest("\"token\" (a fresh access token, a string) is required.");
        }
        Caller fresh = tokens.verify(text.trim());
        if (!fresh.id().equals(current.id())) {
            throw ProblemException.forbidden("That token is for another user; a connection keeps the user it was opened for.");
        }
        return fresh;
    }

    /**
     * {@link #admit} for a listener's {@code onHttpUpgrade}; an admitted upgrade (answered 101) is counted in
     * {@code http_server_requests_total} like any request, since upgrades never reach HTTP routing and its
     * observation. A refused one falls through to the HTTP route, which counts its 401/403 there.
     */
    public Admission admitUpgrade(HttpPrologue prologue, Headers headers) {
        long start = System.nanoTime();
        Admission admission = admit(headers, prologue.query());
        // WsRouting matches endpoints by their exact path, so the path is the route template.
        HttpMetrics.get().series(prologue.method().text(), prologue.uriPath().path(), 101).record(System.nanoTime() - start);
        return admission;
    }

    /** Admits or throws a 403 (origin) / 401 (token) problem. */
    public Admission admit(Headers headers, UriQuery query) {
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !origins.allowsOrigin(origin.get()) && !sameOrigin(origin.get(), headers)) {
            throw ProblemException.forbidden("WebSocket connections from origin " + shorten(origin.get())
                                             + " are not allowed (cors.allowed-origins).");
        }
        List<String> protocols = protocols(headers);
        int bearer = protocols.indexOf(BEARER_PROTOCOL);
        // A browser that offered "bearer" needs it echoed, wherever its token came from.
        boolean echo = bearer >= 0;
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            String value = authorization.get();
            if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw ProblemException.unauthorized("The Authorization header must be 'Bearer <access token>'.");
            }
            return new Admission(tokens.verify(value.substring(7).trim()), echo);
        }
        Optional<String> queryToken = query.first("token").asOptional().filter(s -> !s.isBlank());
        if (queryToken.isPresent()) {
            return new Admission(tokens.verify(queryToken.get().trim()), echo);
        }
        if (bearer >= 0 && bearer + 1 < protocols.size()) {
            return new Admission(tokens.verify(protocols.get(bearer + 1)), true);
        }
        throw ProblemException.unauthorized("Sign in: send 'Authorization: Bearer <access token>', ?token=<access token>, "
                                            + "or the subprotocols 'bearer, <access token>'.");
    }

    /**
     * A page served by this very server (the web app at {@code /}) may open its WebSockets from any address the
     * server is reached at (localhost, 127.0.0.1, a LAN name): its Origin names the Host it was sent to. A page
     * on another site cannot forge that pair, so cross-site WebSocket hijacking stays refused.
     */
    static boolean sameOrigin(String origin, Headers headers) {
        int scheme = origin.indexOf("://");
        Optional<String> host = headers.first(HeaderNames.HOST);
        return scheme > 0 && host.isPresent() && !host.get().isBlank()
               && origin.substring(scheme + 3).equalsIgnoreCase(host.get().trim());
    }

    private static List<String> protocols(Headers headers) {
        List<String> result = new ArrayList<>();
        if (!headers.contains(PROTOCOL)) {
            return result;
        }
        Header header = headers.get(PROTOCOL);
        for (String value : header.allValues()) {
            for (String part : value.split(",")) {
                String p = part.trim();
                if (!p.isEmpty()) {
                    result.add(p);
                }
            }
        }
        return result;
    }

    private static String shorten(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
