package plaza.platform.observe;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.common.parameters.Parameters;
import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import plaza.platform.http.ProblemException;

/**
 * RED metrics and the access log for every HTTP request: {@code http_server_requests_total} and
 * the {@code http_server_request_duration_seconds} histogram, labelled by method, route template
 * (never the raw path: {@code /kok/products/{id}}) and status, plus
 * {@code http_server_active_requests}. Requests that match no route are labelled
 * {@code route="unmatched"} so scanners cannot blow up the label set.
 */
public final class HttpObservation implements Filter {

    /** Request-context marker set when no route matched. */
    public static final String UNMATCHED = "unmatched";
    private static final System.Logger ACCESS = System.getLogger("plaza.access");
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(75), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(750), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofMillis(7500), Duration.ofSeconds(10)};

    private final boolean accessLog;
    private final MeterRegistry registry = Metrics.globalRegistry();
    private final Map<String, Meters> meters = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();

    public HttpObservation(boolean accessLog) {
        this.accessLog = accessLog;
        registry.getOrCreate(Gauge.builder("http.server.active_requests", active, AtomicInteger::get)
                                     .description("HTTP requests being handled"));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        active.incrementAndGet();
        Throwable failure = null;
        try {
            chain.proceed();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            active.decrementAndGet();
            long nanos = System.nanoTime() - start;
            int status = failure == null ? res.status().code() : statusOf(failure);
            boolean unmatched = failure instanceof NotFoundException
                    || req.context().get(UNMATCHED, Boolean.class).orElse(false);
            String route = unmatched ? UNMATCHED : template(req);
            String method = req.prologue().method().text();
            Meters m = meters.computeIfAbsent(method + ' ' + route + ' ' + status, k -> register(method, route, status));
            m.count.increment();
            m.duration.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (accessLog) {
                ACCESS.log(Level.INFO, () -> method + " " + req.path().absolute().rawPath() + " " + status + " "
                        + String.format("%.1fms", nanos / 1e6) + " " + req.remotePeer().host());
            }
        }
    }

    private Meters register(String method, String route, int status) {
        List<Tag> tags = List.of(Tag.create("method", method), Tag.create("route", route),
                                 Tag.create("status", String.valueOf(status)));
        Counter count = registry.getOrCreate(Counter.builder("http.server.requests").tags(tags)
                                                     .description("HTTP requests handled"));
        Timer duration = registry.getOrCreate(Timer.builder("http.server.request.duration").tags(tags)
                                                      .buckets(BUCKETS)
                                                      .description("Time to handle an HTTP request"));
        return new Meters(count, duration);
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

    /** The path with each path parameter's value put back as {@code {name}}. */
    static String template(RoutingRequest req) {
        String path = req.path().absolute().path();
        Parameters params = req.path().pathParameters();
        if (params.isEmpty()) {
            return path;
        }
        String[] segments = path.split("/", -1);
        for (String name : params.names()) {
            String value = params.first(name).orElse(null);
            if (value == null) {
                continue;
            }
            for (int i = 0; i < segments.length; i++) {
                if (segments[i].equals(value)) {
                    segments[i] = "{" + name + "}";
                    break;
                }
            }
        }
        return String.join("/", segments);
    }

    private record Meters(Counter count, Timer duration) {
    }
}
