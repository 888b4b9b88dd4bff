package plaza.platform.observe;

import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.apache.logging.log4j.core.util.ContextDataProvider;

/**
 * Puts the current span's {@code trace_id} and {@code span_id} into every log event's context data,
 * on the thread that logs: the JSON line is written later on the logging thread, where no span is current.
 * Found by Log4j through {@code META-INF/services}.
 */
public final class TraceContextData implements ContextDataProvider {

    @Override
    public Map<String, String> supplyContextData() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? Map.of("trace_id", span.getTraceId(), "span_id", span.getSpanId()) : Map.of();
    }
}
