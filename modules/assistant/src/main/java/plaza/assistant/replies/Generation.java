package plaza.assistant.replies;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import plaza.assistant.conversations.Conversation;
import plaza.assistant.model.Cancellation;
import plaza.platform.http.ProblemException;

/**
 * One reply being generated, on its own virtual thread, detached from whoever asked: if the
 * client goes away the reply still completes and is saved. {@link #cancel} stops it; the text so
 * far is saved, marked {@code cancelled}. {@link #result} completes with the saved turn or fails
 * with the problem to answer.
 *
 * <p>A generation started from a cached copy of the conversation is <em>held</em>: it already
 * calls the model, but its events wait until the database has confirmed the copy
 * ({@link #confirm}); if it was stale or the conversation is gone, {@link #abandon} stops the model
 * call and nothing of it reaches the listener or the database.
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
    private final Object gate = new Object();
    private List<Consumer<ReplyListener>> heldEvents;   // null once confirmed
    private volatile boolean confirmed;
    private volatile boolean abandoned;
    private final CountDownLatch decided;

    Generation(Conversation conversation, String userContent, ReplyListener listener, boolean held) {
        this.conversation = conversation;
        this.userContent = userContent;
        this.listener = listener;
        this.confirmed = !held;
        this.heldEvents = held ? new ArrayList<>() : null;
        this.decided = new CountDownLatch(held ? 1 : 0);
    }

    /**
     * Waits until a held generation is confirmed or abandoned (at once for others); true when it
     * may write: nothing of a generation is saved before its conversation was confirmed.
     */
    boolean awaitConfirmation() {
        boolean interrupted = false;
        while (true) {
            try {
                decided.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !abandoned;
    }

    /** Lets a held generation's events through, those it already produced first, in order. */
    void confirm() {
        while (true) {
            List<Consumer<ReplyListener>> batch;
            synchronized (gate) {
                if (heldEvents == null || heldEvents.isEmpty()) {
                    heldEvents = null;
                    confirmed = true;
                    decided.countDown();
                    return;
                }
                batch = heldEvents;
                heldEvents = new ArrayList<>();
            }
            for (Consumer<ReplyListener> event : batch) {
                deliver(event);
            }
        }
    }

    /** Stops a held generation for good: the model call is cancelled, nothing is delivered or saved. */
    void abandon() {
        synchronized (gate) {
            abandoned = true;
            heldEvents = null;
        }
        decided.countDown();
        cancellation.cancel();
    }

    boolean abandoned() {
        return abandoned;
    }

    private void emit(Consumer<ReplyListener> event) {
        if (!confirmed) {
            synchronized (gate) {
                if (abandoned) {
                    return;
                }
                if (!confirmed) {
                    heldEvents.add(event);
                    return;
                }
            }
        }
        deliver(event);
    }

    private void deliver(Consumer<ReplyListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            detach(); // the client is gone; the generation goes on and is saved
        }
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
        emit(l -> l.delta(text));
    }

    void done(TurnResult turn) {
        emit(l -> l.done(turn));
        result.complete(turn);
    }

    void failed(ProblemException problem) {
        emit(l -> l.failed(problem));
        result.completeExceptionally(problem);
    }
}
