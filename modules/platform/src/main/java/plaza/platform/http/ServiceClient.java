package plaza.platform.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.helidon.http.HeaderNames;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import plaza.platform.observe.Telemetry;

/**
 * Plaza's one outbound HTTP client for calling another Plaza service: Helidon WebClient with W3C
 * {@code traceparent} propagation (the call is a child span of the request being handled), connect
 * and read timeouts, a hard deadline for the whole call, the caller's {@code Authorization}
 * forwarded when asked, and a small circuit breaker: after {@code failuresToOpen} failures in a row
 * calls fail at once for {@code openFor}, then one call is let through to probe.
 *
 * <p>Every failure — refused connection, timeout, 4xx/5xx, a body that is not JSON — is a
 * {@link CallFailedException}, so a caller degrades in one {@code catch}. Metrics:
 * {@code plaza_client_calls_total{target,outcome}}.
 */
public final class ServiceClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ServiceClient.class.getName());

    private final String target;
    private final Supplier<URI> baseUri;
    private final Duration timeout;
    private final int failuresToOpen;
    private final Duration openFor;
    private final WebClient client;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong openUntilNanos = new AtomicLong();
    private final Map<String, Counter> outcomes = new java.util.concurrent.ConcurrentHashMap<>();

    private ServiceClient(Builder b) {
        this.target = b.target;
        this.baseUri = b.baseUri;
        this.timeout = b.timeout;
        this.failuresToOpen = b.failuresToOpen;
        this.openFor = b.openFor;
        this.client = WebClient.builder()
                .servicesDiscoverServices(false)
                .connectTimeout(b.timeout)
                .readTimeout(b.timeout)
                .followRedirects(false)
                .keepAlive(true)
                .build();
    }

    /** A client for service {@code target} (a name for metrics and logs). */
    public static Builder builder(String target) {
        return new Builder(target);
    }

    /**
     * GET {@code path} with {@code query} and answers the JSON body of a 2xx response.
     *
     * @param authorization the caller's {@code Authorization} header value to forward, if any
     */
    public JsonNode getJson(String path, Map<String, List<String>> query, Optional<String> authorization) {
        long now = System.nanoTime();
        if (failuresToOpen > 0 && now - openUntilNanos.get() < 0) {
            count("short_circuited");
            throw new CallFailedException(target + " is failing; not called for a moment");
        }
        Context context = Contexts.context().orElse(null);
        // The call runs on its own thread (for the hard deadline): take the request's trace along.
        Callable<JsonNode> traced = io.opentelemetry.context.Context.current().wrap(() -> call(path, query, authorization));
        Future<JsonNode> call = executor.submit(() -> context == null ? traced.call() : Contexts.runInContext(context, traced));
        try {
            JsonNode body = call.get(timeout.toMillis() + 50, TimeUnit.MILLISECONDS);
            consecutiveFailures.set(0);
            count("ok");
            return body;
        } catch (TimeoutException e) {
            call.cancel(true);
            throw failed("timeout", target + " did not answer within " + timeout.toMillis() + " ms", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CallFailedException cfe) {
                throw failed(cfe.outcome, cfe.getMessage(), null);
            }
            throw failed("error", target + " call failed: " + cause, cause);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw failed("interrupted", "interrupted while calling " + target, e);
        }
    }

    private JsonNode call(String path, Map<String, List<String>> query, Optional<String> authorization) {
        Span span = Telemetry.tracer().spanBuilder("GET " + target).setSpanKind(SpanKind.CLIENT).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            HttpClientRequest request = client.get().uri(baseUri.get()).path(path);
            query.forEach((name, values) -> request.queryParam(name, values.toArray(String[]::new)));
            authorization.ifPresent(value -> request.header(HeaderNames.AUTHORIZATION, value));
            request.header(HeaderNames.ACCEPT, "application/json");
            Telemetry.propagator().inject(io.opentelemetry.context.Context.current(), request,
                                          (r, name, value) -> r.header(HeaderNames.create(name), value));
            try (HttpClientResponse response = request.request()) {
                int status = response.status().code();
                span.setAttribute("http.response.status_code", status);
                if (status < 200 || status >= 300) {
                    throw new CallFailedException("status_" + (status / 100) + "xx", target + " answered " + status);
                }
                try (InputStream in = response.inputStream()) {
                    return plaza.platform.http.Json.MAPPER.readTree(in);
                }
            }
        } catch (IOException e) {
            span.setStatus(StatusCode.ERROR);
            throw new CallFailedException("bad_body", target + " sent a body that is not JSON");
        } catch (CallFailedException e) {
            span.setStatus(StatusCode.ERROR);
            throw e;
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR);
            // Helidon wraps connect refusals and read timeouts in UncheckedIOException and friends.
            throw new CallFailedException("unreachable", target + " unreachable: " + e.getClass().getSimpleName());
        } finally {
            span.end();
        }
    }

    private CallFailedException failed(String outcome, String message, Throwable cause) {
        count(outcome);
        int failures = consecutiveFailures.incrementAndGet();
        if (failuresToOpen > 0 && failures >= failuresToOpen) {
            openUntilNanos.set(System.nanoTime() + openFor.toNanos());
            consecutiveFailures.set(0);
            LOG.log(System.Logger.Level.WARNING, target + " failed " + failures + " times in a row; not calling it for "
                    + openFor.toMillis() + " ms");
        } else {
            LOG.log(System.Logger.Level.DEBUG, message);
        }
        CallFailedException e = new CallFailedException(outcome, message);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> Metrics.globalRegistry().getOrCreate(
                Counter.builder("plaza.client.calls")
                        .tags(List.of(Tag.create("target", target), Tag.create("outcome", o)))
                        .description("Outbound calls to other Plaza services"))).increment();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** A call that did not produce a usable answer; {@link #outcome()} says which way it failed. */
    public static final class CallFailedException extends RuntimeException {
        private final String outcome;

        CallFailedException(String message) {
            this("short_circuited", message);
        }

        CallFailedException(String outcome, String message) {
            super(message, null, false, false);
            this.outcome = outcome;
        }

        public String outcome() {
            return outcome;
        }
    }

    /** Settings of a {@link ServiceClient}. */
    public static final class Builder {
        private final String target;
        private Supplier<URI> baseUri;
        private Duration timeout = Duration.ofMillis(500);
        private int failuresToOpen = 5;
        private Duration openFor = Duration.ofSeconds(5);

        private Builder(String target) {
            this.target = target;
        }

        /** Base URL, resolved at every call (standalone knows its own port only after start). */
        public Builder baseUri(Supplier<URI> baseUri) {
            this.baseUri = baseUri;
            return this;
        }

        public Builder baseUri(URI baseUri) {
            return baseUri(() -> baseUri);
        }

        /** Connect timeout, read timeout and the deadline of a whole call. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Failures in a row that open the breaker (0: never). */
        public Builder failuresToOpen(int failures) {
            this.failuresToOpen = failures;
            return this;
        }

        public Builder openFor(Duration openFor) {
            this.openFor = openFor;
            return this;
        }

        public ServiceClient build() {
            if (baseUri == null) {
                throw new IllegalStateException("baseUri is required for the " + target + " client");
            }
            return new ServiceClient(this);
        }
    }

    /** {@code name → [value]} for {@link #getJson}, in insertion order. */
    public static Map<String, List<String>> query(Object... nameValues) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            Object value = nameValues[i + 1];
            if (value instanceof List<?> list) {
                query.put(String.valueOf(nameValues[i]), list.stream().map(String::valueOf).toList());
            } else if (value != null) {
                query.put(String.valueOf(nameValues[i]), List.of(String.valueOf(value)));
            }
        }
        return query;
    }
}
