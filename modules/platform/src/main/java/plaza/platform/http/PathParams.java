package plaza.platform.http;

import java.util.regex.Pattern;

import io.helidon.webserver.http.ServerRequest;

/** Typed path parameters: {@code /kok/products/abc} is a 400 naming the parameter, never a 500 or a 404. */
public final class PathParams {

    private static final Pattern ASCII_ID = Pattern.compile("[0-9]{1,19}");

    private PathParams() {
    }

    /**
     * A positive numeric id from the path. Only ASCII digits: {@link Long#parseLong} also reads full-width,
     * Arabic-Indic and Devanagari digits, which would make {@code /kok/products/２０２} product 202.
     */
    public static long id(ServerRequest req, String name) {
        String raw = req.path().pathParameters().first(name).orElse("");
        if (!ASCII_ID.matcher(raw).matches()) {
            throw QueryParams.invalid(name, "must be a positive number (ASCII digits)");
        }
        try {
            long value = Long.parseLong(raw);
            if (value <= 0) {
                throw QueryParams.invalid(name, "must be a positive number");
            }
            return value;
        } catch (NumberFormatException e) {
            throw QueryParams.invalid(name, "must be a positive number");
        }
    }
}
