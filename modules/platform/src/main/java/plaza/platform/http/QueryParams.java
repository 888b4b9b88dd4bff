package plaza.platform.http;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import io.helidon.webserver.http.ServerRequest;

/** Typed query parameters: a value that does not parse is a 400 naming the parameter, never a 500. */
public final class QueryParams {

    private QueryParams() {
    }

    public static Optional<String> string(ServerRequest req, String name, int maxLength) {
        Optional<String> value = req.query().first(name).asOptional().map(String::trim).filter(s -> !s.isEmpty());
        value.ifPresent(v -> {
            if (v.codePointCount(0, v.length()) > maxLength) {
                throw invalid(name, "must be at most " + maxLength + " characters");
            }
        });
        return value;
    }

    public static int integer(ServerRequest req, String name, int defaultValue, int min, int max) {
        Optional<String> raw = req.query().first(name).asOptional().map(String::trim).filter(s -> !s.isEmpty());
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value < min || value > max) {
                throw invalid(name, "must be between " + min + " and " + max);
            }
            return (int) value;
        } catch (NumberFormatException e) {
            throw invalid(name, "must be an integer");
        }
    }

    public static Optional<Long> longValue(ServerRequest req, String name, long min, long max) {
        Optional<String> raw = req.query().first(name).asOptional().map(String::trim).filter(s -> !s.isEmpty());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value < min || value > max) {
                throw invalid(name, "must be between " + min + " and " + max);
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw invalid(name, "must be an integer");
        }
    }

    public static Optional<LocalDate> date(ServerRequest req, String name) {
        Optional<String> raw = req.query().first(name).asOptional().map(String::trim).filter(s -> !s.isEmpty());
        try {
            return raw.map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            throw invalid(name, "must be a date like 2026-01-31");
        }
    }

    public static ProblemException invalid(String name, String message) {
        return ProblemException.validation(java.util.List.of(new Problem.FieldError(name, message)));
    }
}
