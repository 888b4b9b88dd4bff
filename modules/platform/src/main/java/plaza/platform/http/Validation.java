package plaza.platform.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every invalid field of a request before answering, so a client learns all of them at
 * once: {@code new Validation().require(...).maxLength(...).check()}.
 *
 * <p>Also holds Plaza's one rule for text from clients ({@link #textProblem}), applied by {@link Json}
 * to every string and field name of every JSON body and frame, by {@link QueryParams} and by the token
 * verifier: no NUL (PostgreSQL text cannot hold it), no other C0 control character but tab, line feed
 * and carriage return, and no unpaired UTF-16 surrogate (a JSON escape of U+D800 alone names no character,
 * and neither database nor JSON output can carry it).
 */
public final class Validation {

    /**
     * The largest id a client may choose (imports keep their ids): the auto-increment continues after
     * the largest id stored, so an id near 2^63 would leave no room for the next server-assigned one.
     */
    public static final long MAX_CLIENT_ID = Integer.MAX_VALUE;

    private final List<Problem.FieldError> errors = new ArrayList<>();

    /**
     * Why {@code value} is not acceptable text, or null when it is: see the class comment. The message
     * names the offending character by code point, never echoes it.
     */
    public static String textProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return c == 0 ? "must not contain NUL (U+0000)"
                        : String.format("must not contain the control character U+%04X", (int) c);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("must not contain an unpaired surrogate (U+%04X)", (int) c);
            }
        }
        return null;
    }

    /**
     * Text Plaza stores but did not get from a client (a model provider's reply): NUL and the C0 controls
     * {@link #textProblem} refuses become U+FFFD instead of failing the write. Surrogates are left alone:
     * a pair may arrive split across two streamed pieces.
     */
    public static String storable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                StringBuilder out = new StringBuilder(value);
                for (int j = i; j < out.length(); j++) {
                    char d = out.charAt(j);
                    if (d < 0x20 && d != '\t' && d != '\n' && d != '\r') {
                        out.setCharAt(j, '\uFFFD');
                    }
                }
                return out.toString();
            }
        }
        return value;
    }

    /** Adds an error when {@code value} breaks the text rule of {@link #textProblem}. */
    public Validation text(String field, String value) {
        String problem = value == null ? null : textProblem(value);
        if (problem != null) {
            errors.add(new Problem.FieldError(field, problem));
        }
        return this;
    }

    /** An optional id a client chose (an import row's): positive and at most {@link #MAX_CLIENT_ID}. */
    public Validation clientId(String field, Long id) {
        if (id != null && (id < 1 || id > MAX_CLIENT_ID)) {
            errors.add(new Problem.FieldError(field, "must be between 1 and " + MAX_CLIENT_ID));
        }
        return this;
    }

    public Validation require(String field, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            errors.add(new Problem.FieldError(field, "is required"));
        }
        return this;
    }

    public Validation maxLength(String field, String value, int max) {
        if (value != null && value.codePointCount(0, value.length()) > max) {
            errors.add(new Problem.FieldError(field, "must be at most " + max + " characters"));
        }
        return this;
    }

    public Validation range(String field, Number value, long min, long max) {
        if (value != null && (value.longValue() < min || value.longValue() > max)) {
            errors.add(new Problem.FieldError(field, "must be between " + min + " and " + max));
        }
        return this;
    }

    /** Adds an error when {@code ok} is false. */
    public Validation check(String field, boolean ok, String message) {
        if (!ok) {
            errors.add(new Problem.FieldError(field, message));
        }
        return this;
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /** Throws a 400 validation problem listing every collected error, if any. */
    public void check() {
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }
}
