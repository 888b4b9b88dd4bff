package plaza.events.ingest;

import io.helidon.http.Status;

/**
 * Why one event was not accepted: a single call answers it as a problem with this status, a batch
 * lists it by index and goes on with the other events.
 */
public final class Refusal extends RuntimeException {

    private final Status status;
    private final String field;

    Refusal(Status status, String field, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.field = field;
    }

    static Refusal invalid(String field, String reason) {
        return new Refusal(Status.BAD_REQUEST_400, field, reason);
    }

    public Status status() {
        return status;
    }

    /** The body field at fault, or null when it is the event as a whole. */
    public String field() {
        return field;
    }

    /** "field: reason", as a batch lists it. */
    public String describe() {
        return field == null ? getMessage() : field + ": " + getMessage();
    }
}
