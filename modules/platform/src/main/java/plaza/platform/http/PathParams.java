package plaza.platform.http;

import io.helidon.webserver.http.ServerRequest;

/** Typed path parameters: {@code /kok/products/abc} is a 400 naming the parameter, never a 500 or a 404. */
public final class PathParams {

    private PathParams() {
    }

    /**
     * A positive numeric id from the path. Only ASCII digits (the same check as {@link QueryParams}):
     * {@link Long#parseLong} also reads full-width, Arabic-Indic and Devanagari digits, which would make
     * {@code /kok/products/２０２} product 202.
     */
    public static long id(ServerRequest req, String name) {
        String raw = req.path().pathParameters().first(name).orElse("");
        Long value = raw.startsWith("-") ? null : QueryParams.asciiLong(raw);
        if (value == null) {
            throw QueryParams.invalid(name, "must be a positive number (ASCII digits)");
        }
        if (value <= 0) {
            throw QueryParams.invalid(name, "must be a positive number");
        }
        return value;
    }

    /** A text path parameter (a user id) of at most {@code maxLength} characters, under {@link Validation#textProblem}. */
    public static String text(ServerRequest req, String name, int maxLength) {
        String raw = req.path().pathParameters().first(name).orElse("");
        new Validation().require(name, raw).maxLength(name, raw, maxLength).text(name, raw).check();
        return raw;
    }
}
