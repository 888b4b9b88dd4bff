package plaza.platform.observe;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
import io.helidon.http.NotFoundException;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import plaza.platform.http.ProblemException;

/**
 * The three signals of every HTTP request, taken together because they share the request's start,
 * route and status (PlazaServer runs it as the one filter of every routing, around the CORS and URI checks):
 * <ul>
 * <li>metrics ({@link HttpMetrics}): {@code http_server_requests_total} and the
 * {@code http_server_request_duration_seconds} histogram, labelled by method, route template (never the raw path: {@code /kok/products/{id}})
 * and status, plus {@code http_server_active_requests}. Requests that match no route are labelled
 * {@code route="unmatched"} so scanners cannot blow up the label set;</li>
 * <li>a server span (OpenTelemetry, W3C {@code traceparent} continued), current while the handler
 * runs so log lines and outbound calls carry its trace;</li>
 * <li>the access log, when switched on.</li>
 * </ul>
 * Written against the OpenTelemetry API directly rather than Helidon's tracing filter, which cost
 * about a third of the server's throughput on a trivial route (bench/platform).
 */
public final class HttpObservation {

    /** Request-context marker set when no route matched. */
    public static final String UNMATCHED = "unmatched";
    private static final System.Logger ACCESS = System.getLogger("plaza.access");
    private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
    private static final TextMapGetter<ServerRequestHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ServerRequestHeaders headers) {
            return headers.stream().map(h -> h.name()).toList();
        }

        @Override
        public String get(ServerRequestHeaders headers, String key) {
            return headers == null ? null : headers.first(HeaderNames.create(key)).orElse(null);
        }
    };

    private final boolean accessLog;
    private final Tracer tracer;
    private final boolean exporting;
    private final TextMapPropagator propagator;
    private final MeterRegistry registry = Metrics.globalRegistry();
    private final ConcurrentHashMap<String, RouteSeries> byRoute = new ConcurrentHashMap<>();
    // Striped like HttpMetrics' counters: every request changes it twice, from whichever core it runs on.
    private final LongAdder active = new LongAdder();

    /**
     * @param accessLog write one access-log line per request
     * @param tracer    where request spans come from, or {@code null} for no spans
     * @param exporting whether spans go anywhere; when not, requests get an {@link UnexportedSpan}
     */
    public HttpObservation(boolean accessLog, Tracer tracer, boolean exporting, TextMapPropagator propagator) {
        this.accessLog = accessLog;
        this.tracer = tracer;
        this.exporting = exporting;
        this.propagator = propagator;
        registry.getOrCreate(Gauge.builder("http.server.active_requests", active, LongAdder::sum)
                                     .description("HTTP requests being handled"));
    }

    /**
     * Runs {@code handling} as the observed handling of {@code req}; it gets the filter chain to
     * proceed with. A request answered without proceeding (a CORS preflight, a 400 for a malformed
     * URI) reached no route, so it is labelled {@code unmatched}: its raw path would be one series per id.
     */
    public void observe(FilterChain chain, RoutingRequest req, RoutingResponse res, Consumer<FilterChain> handling) {
        long start = System.nanoTime();
        active.increment();
        Span span = tracer == null ? null : startSpan(req);
        Throwable failure = null;
        boolean[] routed = new boolean[1];
        // Closed last, so the access-log line below still carries the request's trace.
        Scope scope = span == null ? null : span.makeCurrent();
        try {
            handling.accept(() -> {
                routed[0] = true;
                chain.proceed();
            });
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                active.decrement();
                long nanos = System.nanoTime() - start;
                int status = failure == null ? res.status().code() : statusOf(failure);
                // Only a 404 can be unmatched; reading the request context creates it, so ask only then.
                boolean unmatched = !routed[0] || status == 404 && (failure instanceof NotFoundException
                        || req.context().get(UNMATCHED, Boolean.class).orElse(false));
                String route = unmatched ? UNMATCHED : template(req);
                Method method = req.prologue().method();
                RouteSeries series = byRoute.get(route);
                if (series == null) {
                    series = byRoute.computeIfAbsent(route, RouteSeries::new);
                }
                series.record(method, status, nanos);
                if (span != null) {
                    endSpan(span, method.text(), route, status, req);
                }
                if (accessLog) {
                    ACCESS.log(Level.INFO, accessLine(method, req, status, nanos));
                }
            } finally {
                if (scope != null) {
                    scope.close();
                }
            }
        }
    }

    /** {@code GET /kok/products/101 200 1.2ms 127.0.0.1}; by hand, as String.format cost a visible share per request. */
    static String accessLine(Method method, RoutingRequest req, int status, long nanos) {
        long tenths = (nanos + 50_000) / 100_000;
        return new StringBuilder(96).append(method.text()).append(' ').append(req.path().absolute().rawPath()).append(' ')
                .append(status).append(' ').append(tenths / 10).append('.').append(tenths % 10).append("ms ")
                .append(req.remotePeer().host()).toString();
    }

    private Span startSpan(RoutingRequest req) {
        // Only parse propagation headers when a caller sent some: most requests start a trace.
        Context parent = req.headers().contains(TRACEPARENT)
                ? propagator.extract(Context.root(), req.headers(), HEADERS)
                : Context.root();
        if (!exporting) {
            return new UnexportedSpan(Span.fromContext(parent).getSpanContext());
        }
        return tracer.spanBuilder(req.prologue().method().text())
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .startSpan();
    }

    private static void endSpan(Span span, String method, String route, int status, RoutingRequest req) {
        if (span.isRecording()) {
            span.updateName(method + " " + route);
            span.setAttribute("http.request.method", method);
            span.setAttribute("http.route", route);
            span.setAttribute("url.path", req.path().absolute().rawPath());
            span.setAttribute("http.response.status_code", status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
        }
        span.end();
    }

    private static int statusOf(Throwable failure) {
        if (failure instanceof ProblemException p) {
            return p.status().code();
        }
        if (failure instanceof HttpException h) {
            return h.status().code();
        }
        return 500;
    }

    /**
     * The path with each path parameter's value put back as {@code {name}}; {@code unmatched} when a
     * value is not a whole segment (an encoded slash), since the raw path would then leak into the label.
     */
    static String template(RoutingRequest req) {
        Parameters params = req.path().pathParameters();
        String path = req.path().absolute().path();
        if (params.isEmpty()) {
            return path;
        }
        String[] segments = path.split("/", -1);
        for (String name : params.names()) {
            String value = params.first(name).orElse(null);
            if (value == null) {
                continue;
            }
            boolean found = false;
            for (int i = 0; i < segments.length && !found; i++) {
                if (segments[i].equals(value)) {
                    segments[i] = "{" + name + "}";
                    found = true;
                }
            }
            if (!found) {
                return UNMATCHED;
            }
        }
        return String.join("/", segments);
    }

    /** The series of one route, one per method and status seen. */
    private static final class RouteSeries {
        private final String route;
        // A route sees few method/status pairs (mostly one): a copy-on-write array scanned by identity
        // beats a map lookup per request.
        private volatile Entry[] entries = new Entry[0];

        RouteSeries(String route) {
            this.route = route;
        }

        void record(Method method, int status, long nanos) {
            HttpMetrics.Series series = find(entries, method, status);
            if (series == null) {
                series = register(method, status);
            }
            series.record(nanos);
        }

        private static HttpMetrics.Series find(Entry[] all, Method method, int status) {
            for (Entry e : all) {
                if (e.status == status && (e.method == method || e.method.equals(method))) {
                    return e.series;
                }
            }
            return null;
        }

        private synchronized HttpMetrics.Series register(Method method, int status) {
            HttpMetrics.Series found = find(entries, method, status);
            if (found != null) {
                return found;
            }
            HttpMetrics.Series series = HttpMetrics.get().series(method.text(), route, status);
            Entry[] grown = Arrays.copyOf(entries, entries.length + 1);
            grown[grown.length - 1] = new Entry(method, status, series);
            entries = grown;
            return series;
        }
    }

    private record Entry(Method method, int status, HttpMetrics.Series series) {
    }
}
