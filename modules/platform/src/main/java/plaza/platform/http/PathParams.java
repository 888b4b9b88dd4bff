package plaza.platform.http;

import io.helidon.webserver.http.ServerRequest;

/** Typed path parameters: {@code /kok/products/abc} is a 400 naming the parameter, never a 500 or a 404. */
public final class PathParams {

    private PathParams() {
    }

    /** A positive numeric id from the path. */
    public static long id(ServerRequest req, String name) {
        String raw = req.path().pathParameters().first(name).orElse("");
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
