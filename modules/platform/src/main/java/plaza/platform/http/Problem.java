package plaza.platform.http;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body. {@code type} is a stable URI per kind of problem so clients
 * can branch on it; {@code detail} tells a human what exactly was wrong.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors, Long retryAfterSeconds) {

    public static final String TYPE_BASE = "https://plaza.dev/problems/";

    /** One invalid field of a request body or query. */
    public record FieldError(String field, String message) {
    }

    public static String type(String slug) {
        return TYPE_BASE + slug;
    }
}
