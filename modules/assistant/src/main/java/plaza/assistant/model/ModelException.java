package plaza.assistant.model;

import io.helidon.http.Status;
import plaza.platform.http.ProblemException;

/**
 * A model provider failed: it answered an error, broke the stream, or was too slow. Becomes a 502
 * ({@code provider-error}) or 504 ({@code provider-timeout}) problem.
 */
public final class ModelException extends RuntimeException {

    /** What went wrong, which decides the status. */
    public enum Kind {
        /** The provider answered an error or something unreadable: 502. */
        UPSTREAM,
        /** The provider did not answer, or stalled, within the configured timeouts: 504. */
        TIMEOUT
    }

    private final Kind kind;

    public ModelException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ModelException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The usage-record outcome for this failure. */
    public String outcome() {
        return kind == Kind.TIMEOUT ? "timeout" : "error";
    }

    public ProblemException toProblem() {
        return kind == Kind.TIMEOUT
                ? new ProblemException(Status.GATEWAY_TIMEOUT_504, "provider-timeout", "Model provider timed out",
                                       getMessage() + " Nothing of this turn was saved; send it again.")
                : new ProblemException(Status.BAD_GATEWAY_502, "provider-error", "Model provider failed",
                                       getMessage() + " Nothing of this turn was saved; send it again.");
    }
}
