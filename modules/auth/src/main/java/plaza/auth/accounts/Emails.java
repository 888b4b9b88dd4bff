package plaza.auth.accounts;

import java.util.Locale;

/** Email addresses as auth keys them: trimmed and lower-cased, so they are unique case-insensitively. */
public final class Emails {

    /** RFC 5321's limit for a forward path. */
    public static final int MAX_LENGTH = 254;

    private Emails() {
    }

    public static String normalize(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    /** A deliberately simple check: one {@code @}, something on both sides, a dot in the domain, no spaces or controls. */
    public static boolean plausible(String normalized) {
        if (normalized == null || normalized.isEmpty() || normalized.length() > MAX_LENGTH) {
            return false;
        }
        int at = normalized.indexOf('@');
        if (at <= 0 || at != normalized.lastIndexOf('@') || at == normalized.length() - 1) {
            return false;
        }
        String domain = normalized.substring(at + 1);
        if (!domain.contains(".") || domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
            return false;
        }
        return normalized.codePoints().noneMatch(cp -> Character.isWhitespace(cp) || Character.isISOControl(cp)
                                                     || cp == '<' || cp == '>' || cp == '"' || cp == ',' || cp == ';');
    }
}
