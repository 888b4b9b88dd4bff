package plaza.platform.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * One JSON object per line: {@code ts}, {@code level}, {@code logger}, {@code message},
 * {@code thread}, and {@code trace_id}/{@code span_id} of the current span so a log line leads
 * to its trace. Written by hand so that logging never depends on a JSON library being healthy.
 *
 * <p>Keeps the README's promise of no e-mails, tokens or passwords in logs for every logger, the
 * libraries' included: messages and stack traces are redacted here, at the one place every record
 * passes, because their text is not ours to control — a JDBC driver's error quotes the duplicate
 * e-mail ({@code Duplicate entry 'a@b.example' for key …}), a parser's exception quotes the request
 * body with its password. Redacted: e-mail addresses, JSON/form fields named like a password,
 * token, secret or API key, {@code Bearer} credentials and JWTs.
 */
public final class JsonLogFormatter extends Formatter {

    private static final Pattern EMAIL = Pattern.compile("[\\p{L}\\p{N}._%+\\-]+@[\\p{L}\\p{N}\\-]+(?:\\.[\\p{L}\\p{N}\\-]+)+");
    /** A quoted field whose name holds password/token/secret/key, with its (possibly cut-off) string value. */
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(?i)(\"[a-z_\\-]*(?:password|passwd|token|secret|api_?key)[a-z_\\-]*\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"?");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)\\b([a-z_\\-]*(?:password|passwd|token|secret|api_?key)[a-z_\\-]*=)[^&\\s\"']+");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=\\-]+");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+(?:\\.[A-Za-z0-9_\\-]*)?");

    @Override
    public String format(LogRecord record) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"ts\":\"").append(Instant.ofEpochMilli(record.getMillis())).append('"');
        field(sb, "level", record.getLevel().getName());
        field(sb, "logger", record.getLoggerName());
        field(sb, "message", redact(formatMessage(record)));
        field(sb, "thread", Thread.currentThread().getName());
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            field(sb, "trace_id", span.getTraceId());
            field(sb, "span_id", span.getSpanId());
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            field(sb, "exception", redact(trace.toString()));
        }
        return sb.append("}\n").toString();
    }

    /** {@code text} without e-mail addresses, passwords, tokens or secrets; cheap checks first (access-log lines have none). */
    static String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        if (result.indexOf('@') >= 0) {
            result = EMAIL.matcher(result).replaceAll("<email>");
        }
        String lower = result.toLowerCase(Locale.ROOT);
        if (lower.contains("pass") || lower.contains("token") || lower.contains("secret") || lower.contains("key")) {
            result = SECRET_FIELD.matcher(result).replaceAll("$1\"<redacted>\"");
            result = SECRET_PARAMETER.matcher(result).replaceAll("$1<redacted>");
        }
        if (lower.contains("bearer")) {
            result = BEARER.matcher(result).replaceAll("$1<redacted>");
        }
        if (result.contains("eyJ")) {
            result = JWT.matcher(result).replaceAll("<jwt>");
        }
        return result;
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
