package plaza.assistant.replies;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import plaza.assistant.conversations.Conversation;
import plaza.assistant.model.Cancellation;
import plaza.platform.http.ProblemException;

/**
 * One reply being generated, on its own virtual thread, detached from whoever asked: if the
 * client goes away the reply still completes and is saved. {@link #cancel} stops it; the text so
 * far is saved, marked {@code cancelled}. {@link #result} completes with the saved turn or fails
 * with the problem to answer.
 */
public final class Generation {

    private final Conversation conversation;
    private final String userContent;
    private final UUID userMessageId = UUID.randomUUID();
    private final UUID messageId = UUID.randomUUID();
    private final Cancellation cancellation = new Cancellation();
    private final CompletableFuture<TurnResult> result = new CompletableFuture<>();
    private final Instant startedAt = Instant.now();
    private volatile ReplyListener listener;

    Generation(Conversation conversation, String userContent, ReplyListener listener) {
        this.conversation = conversation;
        this.userContent = userContent;
        this.listener = listener;
    }

    public UUID conversationId() {
        return conversation.id();
    }

    public String userId() {
        return conversation.userId();
    }

    public UUID messageId() {
        return messageId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Stops generating; the partial reply is saved as {@code cancelled}. */
    public void cancel() {
        cancellation.cancel();
    }

    /** Stops sending events to the listener (the client left); the generation goes on and is saved. */
    public void detach() {
        listener = ReplyListener.NONE;
    }

    public CompletableFuture<TurnResult> result() {
        return result;
    }

    Conversation conversation() {
        return conversation;
    }

    String userContent() {
        return userContent;
    }

    UUID userMessageId() {
        return userMessageId;
    }

    Cancellation cancellation() {
        return cancellation;
    }

    void delta(String text) {
        try {
            listener.delta(text);
        } catch (RuntimeException e) {
            detach();
        }
    }

    void done(TurnResult turn) {
        try {
            listener.done(turn);
        } catch (RuntimeException ignored) {
            // the client is gone; the turn is saved regardless
        }
        result.complete(turn);
    }

    void failed(ProblemException problem) {
        try {
            listener.failed(problem);
        } catch (RuntimeException ignored) {
            // the client is gone
        }
        result.completeExceptionally(problem);
    }
}
