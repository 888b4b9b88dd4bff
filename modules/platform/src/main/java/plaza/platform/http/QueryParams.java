package plaza.platform.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.webserver.http.ServerRequest;

/** Typed query parameters: a value that does not parse is a 400 naming the parameter, never a 500. */
public final class QueryParams {

    /**
     * What Plaza reads as an integer in a URL: ASCII digits with an optional minus. {@link Long#parseLong}
     * alone would also read full-width, Arabic-Indic and Devanagari digits ({@code ?page=２} as 2) and a plus sign.
     */
    private static final Pattern ASCII_INTEGER = Pattern.compile("-?[0-9]{1,19}");
    /** The oldest and newest instants a cursor may hold: any the databases and {@code java.sql.Timestamp} can store. */
    private static final Instant CURSOR_MIN = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant CURSOR_MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    private QueryParams() {
    }

    /** A trimmed, non-empty text parameter of at most {@code maxLength} characters that passes {@link Validation#textProblem}. */
    public static Optional<String> string(ServerRequest req, String name, int maxLength) {
        Optional<String> value = req.query().first(name).asOptional().map(String::trim).filter(s -> !s.isEmpty());
        value.ifPresent(v -> {
            if (v.codePointCount(0, v.length()) > maxLength) {
                throw invalid(name, "must be at most " + maxLength + " characters");
            }
            String problem = Validation.textProblem(v);
            if (problem != null) {
                throw invalid(name, problem);
            }
        });
        return value;
    }

    public static int integer(ServerRequest req, String name, int defaultValue, int min, int max) {
        return longValue(req, name, min, max).map(Long::intValue).orElse(defaultValue);
    }

    public static Optional<Long> longValue(ServerRequest req, String name, long min, long max) {
        Optional<String> raw = req.query().first(name).asOptional().map(String::trim).filter(s -> !s.isEmpty());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Long value = asciiLong(raw.get());
        if (value == null) {
            throw invalid(name, "must be an integer (ASCII digits)");
        }
        if (value < min || value > max) {
            throw invalid(name, "must be between " + min + " and " + max);
        }
        return Optional.of(value);
    }

    /** A date like 2026-01-31, in years 1 to 9999 ({@code +999999999-12-31} parses but no database stores it). */
    public static Optional<LocalDate> date(ServerRequest req, String name) {
        Optional<String> raw = req.query().first(name).asOptional().map(String::trim).filter(s -> !s.isEmpty());
        try {
            Optional<LocalDate> date = raw.map(LocalDate::parse);
            if (date.isPresent() && (date.get().getYear() < 1 || date.get().getYear() > 9999)) {
                throw invalid(name, "must be a date in the years 1 to 9999");
            }
            return date;
        } catch (DateTimeParseException e) {
            throw invalid(name, "must be a date like 2026-01-31");
        }
    }

    /**
     * An opaque paging cursor this API handed out: URL-safe base64 of {@code parts} fields joined by
     * {@code /}. Anything else (not base64, not UTF-8, another number of parts, text the text rule
     * refuses) is a 400 naming the parameter. Read each part with a check such as {@link #cursorTime}.
     */
    public static Optional<List<String>> cursor(ServerRequest req, String name, int parts) {
        Optional<String> raw = string(req, name, 400);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = Json.decodeUtf8(Base64.getUrlDecoder().decode(raw.get()));
            List<String> fields = List.of(text.split("/", -1));
            if (fields.size() != parts || Validation.textProblem(text) != null) {
                throw badCursor(name);
            }
            return Optional.of(fields);
        } catch (IllegalArgumentException | ProblemException e) {
            throw badCursor(name);
        }
    }

    /** Encodes the parts of a cursor read back by {@link #cursor}. */
    public static String encodeCursor(Object... parts) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            if (!text.isEmpty()) {
                text.append('/');
            }
            text.append(part);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An instant inside a cursor, within years 1 to 9999: {@code +999999999-12-31T…} parses as an
     * {@link Instant} but overflows a millisecond count (and a database timestamp).
     */
    public static Instant cursorTime(String name, String part) {
        try {
            Instant time = Instant.parse(part);
            if (time.isBefore(CURSOR_MIN) || time.isAfter(CURSOR_MAX)) {
                throw badCursor(name);
            }
            return time;
        } catch (DateTimeParseException e) {
            throw badCursor(name);
        }
    }

    public static ProblemException invalid(String name, String message) {
        return ProblemException.validation(List.of(new Problem.FieldError(name, message)));
    }

    /** {@code text} as a long when it is ASCII digits (optionally after a minus) that fit; null otherwise. */
    static Long asciiLong(String text) {
        if (!ASCII_INTEGER.matcher(text).matches()) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null; // 19 digits above Long.MAX_VALUE
        }
    }

    private static ProblemException badCursor(String name) {
        return invalid(name, "is not a cursor this API returned");
    }
}
