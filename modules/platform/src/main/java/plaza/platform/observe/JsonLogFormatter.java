package plaza.platform.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * One JSON object per line: {@code ts}, {@code level}, {@code logger}, {@code message},
 * {@code thread}, and {@code trace_id}/{@code span_id} of the current span so a log line leads
 * to its trace. Written by hand so that logging never depends on a JSON library being healthy.
 */
public final class JsonLogFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"ts\":\"").append(Instant.ofEpochMilli(record.getMillis())).append('"');
        field(sb, "level", record.getLevel().getName());
        field(sb, "logger", record.getLoggerName());
        field(sb, "message", formatMessage(record));
        field(sb, "thread", Thread.currentThread().getName());
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            field(sb, "trace_id", span.getTraceId());
            field(sb, "span_id", span.getSpanId());
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            field(sb, "exception", trace.toString());
        }
        return sb.append("}\n").toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(",\"").append(name).append("\":");
        if (value == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
