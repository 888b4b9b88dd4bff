package plaza.platform.http;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every invalid field of a request before answering, so a client learns all of them at
 * once: {@code new Validation().require(...).maxLength(...).check()}.
 */
public final class Validation {

    private final List<Problem.FieldError> errors = new ArrayList<>();

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
