package plaza.platform.observe;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps the README's promise of no e-mails, tokens or passwords in logs for every logger, the
 * libraries' included: the log line's message and stack trace are redacted by the JSON layout
 * ({@link RedactedMessageResolverFactory}, {@link RedactedExceptionResolverFactory}), at the one place
 * every record passes, on the logging thread, because their text is not ours to control — a JDBC
 * driver's error quotes the duplicate e-mail ({@code Duplicate entry 'a@b.example' for key …}), a
 * parser's exception quotes the request body with its password. Redacted: e-mail addresses,
 * JSON/form fields named like a password, token, secret or API key, {@code Bearer} credentials and JWTs.
 */
public final class LogRedaction {

    private static final Pattern EMAIL = Pattern.compile("[\\p{L}\\p{N}._%+\\-]+@[\\p{L}\\p{N}\\-]+(?:\\.[\\p{L}\\p{N}\\-]+)+");
    /** A quoted field whose name holds password/token/secret/key, with its (possibly cut-off) string value. */
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(?i)(\"[a-z_\\-]*(?:password|passwd|token|secret|api_?key)[a-z_\\-]*\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"?");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)\\b([a-z_\\-]*(?:password|passwd|token|secret|api_?key)[a-z_\\-]*=)[^&\\s\"']+");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=\\-]+");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+(?:\\.[A-Za-z0-9_\\-]*)?");

    private LogRedaction() {
    }

    /** {@code text} without e-mail addresses, passwords, tokens or secrets; cheap checks first (access-log lines have none). */
    public static String redact(String text) {
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
}
