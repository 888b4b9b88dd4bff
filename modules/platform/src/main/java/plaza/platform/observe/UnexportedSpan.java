package plaza.platform.observe;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;

/**
 * A request's span when no exporter is configured. The SDK's always-off sampler gives a
 * non-recording span too: the caller's trace id (or a new one), a new span id, flags "not sampled".
 * This span carries the same ids, but makes them only when something reads them, such as a log
 * line or an outbound call. Most requests never read them. The SDK's version built and hex-encoded
 * the ids on every request: about 4% of a trivial request's throughput (bench/platform).
 */
final class UnexportedSpan implements Span {

    private final SpanContext parent;
    private volatile SpanContext context;

    /** @param parent the caller's span context, or an invalid one when this request starts the trace */
    UnexportedSpan(SpanContext parent) {
        this.parent = parent;
    }

    @Override
    public SpanContext getSpanContext() {
        SpanContext c = context;
        return c != null ? c : create();
    }

    // The request's thread and an outbound call's thread may ask at once; both must see one id.
    private synchronized SpanContext create() {
        if (context == null) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String traceId = parent.isValid() ? parent.getTraceId() : TraceId.fromLongs(random.nextLong(), nonZero(random));
            TraceState state = parent.isValid() ? parent.getTraceState() : TraceState.getDefault();
            context = SpanContext.create(traceId, SpanId.fromLong(nonZero(random)), TraceFlags.getDefault(), state);
        }
        return context;
    }

    private static long nonZero(ThreadLocalRandom random) {
        long value;
        do {
            value = random.nextLong();
        } while (value == 0);
        return value;
    }

    @Override
    public boolean isRecording() {
        return false;
    }

    // Nothing is recorded: the setters have nowhere to put their values.

    @Override
    public <T> Span setAttribute(AttributeKey<T> key, T value) {
        return this;
    }

    @Override
    public Span addEvent(String name, Attributes attributes) {
        return this;
    }

    @Override
    public Span addEvent(String name, Attributes attributes, long timestamp, TimeUnit unit) {
        return this;
    }

    @Override
    public Span setStatus(StatusCode statusCode, String description) {
        return this;
    }

    @Override
    public Span recordException(Throwable exception, Attributes additionalAttributes) {
        return this;
    }

    @Override
    public Span updateName(String name) {
        return this;
    }

    @Override
    public void end() {
    }

    @Override
    public void end(long timestamp, TimeUnit unit) {
    }

    @Override
    public String toString() {
        return "UnexportedSpan{" + getSpanContext() + "}";
    }
}
