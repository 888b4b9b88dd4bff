package plaza.assistant.replies;

import java.util.concurrent.LinkedBlockingQueue;

import plaza.platform.http.ProblemException;

/**
 * A listener that queues a generation's events for the request thread that streams them
 * (Strings are deltas, then one {@link TurnResult} or {@link ProblemException}). The generation
 * never waits for a slow client.
 */
public final class ReplyEvents implements ReplyListener {

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    @Override
    public void delta(String text) {
        queue.add(text);
    }

    @Override
    public void done(TurnResult turn) {
        queue.add(turn);
    }

    @Override
    public void failed(ProblemException problem) {
        queue.add(problem);
    }

    public Object take() throws InterruptedException {
        return queue.take();
    }

    public Object poll() {
        return queue.poll();
    }

    public static boolean isLast(Object event) {
        return event instanceof TurnResult || event instanceof ProblemException;
    }
}
