package plaza.platform.http;

import java.time.Duration;
import java.util.List;

import io.helidon.http.Status;

/** Thrown by handlers to answer with a problem+json body; {@link Problems} turns it into the response. */
public class ProblemException extends RuntimeException {

    private final Status status;
    private final String slug;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Duration retryAfter;

    public ProblemException(Status status, String slug, String title, String detail) {
        this(status, slug, title, detail, null, null);
    }

    public ProblemException(Status status, String slug, String title, String detail,
                            List<Problem.FieldError> errors, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = errors == null ? null : List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Status.BAD_REQUEST_400, "bad-request", "Bad request", detail);
    }

    public static ProblemException validation(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " fields are invalid: " + String.join(", ", errors.stream().map(Problem.FieldError::field).toList());
        return new ProblemException(Status.BAD_REQUEST_400, "validation", "Invalid request", detail, errors, null);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(Status.UNAUTHORIZED_401, "unauthorized", "Unauthorized", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Status.FORBIDDEN_403, "forbidden", "Forbidden", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Status.NOT_FOUND_404, "not-found", "Not found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Status.CONFLICT_409, "conflict", "Conflict", detail);
    }

    /** 503 with Retry-After: a dependency (the database) is away; the same request may succeed later. */
    public static ProblemException unavailable(String detail, Duration retryAfter) {
        return new ProblemException(Status.SERVICE_UNAVAILABLE_503, "unavailable", "Service unavailable", detail, null, retryAfter);
    }

    public static ProblemException tooManyRequests(String detail, Duration retryAfter) {
        return new ProblemException(Status.TOO_MANY_REQUESTS_429, "rate-limited", "Too many requests", detail, null, retryAfter);
    }

    public Status status() {
        return status;
    }

    public Problem problem(String instance) {
        return new Problem(Problem.type(slug), title, status.code(), getMessage(), instance, errors,
                           retryAfter == null ? null : Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
