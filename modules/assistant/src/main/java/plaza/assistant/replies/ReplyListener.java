package plaza.assistant.replies;

import plaza.platform.http.ProblemException;

/**
 * Receives one generation's events on the generation's thread: text as it arrives, then exactly
 * one of {@link #done} (the turn is saved) or {@link #failed} (nothing of the turn was saved).
 * Implementations must not block for long: queue and return.
 */
public interface ReplyListener {

    ReplyListener NONE = new ReplyListener() {
    };

    default void delta(String text) {
    }

    default void done(TurnResult turn) {
    }

    default void failed(ProblemException problem) {
    }
}
