package plaza.assistant.ws;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import io.helidon.websocket.WsSession;

/**
 * The only writer of one WebSocket session: Helidon 4.1.2's {@code WsSession.send} is not
 * thread-safe, so frames from generations, the reader thread (pongs) and closing go through one
 * queue and one virtual thread. A write that fails (the client left) ends the writer; later
 * frames are dropped.
 */
final class SocketSender {

    private static final Consumer<WsSession> STOP = s -> { };
    private final WsSession session;
    private final LinkedBlockingQueue<Consumer<WsSession>> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    SocketSender(WsSession session) {
        this.session = session;
        Thread.ofVirtual().name("assistant-ws-sender").start(this::run);
    }

    void send(String text) {
        submit(s -> s.send(text, true));
    }

    void submit(Consumer<WsSession> action) {
        if (!closed) {
            queue.add(action);
        }
    }

    /** Sends what is queued, then {@code last} (e.g. a close frame), then stops. */
    void finish(Consumer<WsSession> last) {
        submit(last);
        stop();
    }

    void stop() {
        closed = true;
        queue.add(STOP);
    }

    private void run() {
        try {
            while (true) {
                Consumer<WsSession> action = queue.take();
                if (action == STOP) {
                    return;
                }
                action.accept(session);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            closed = true; // the connection is gone
        } finally {
            queue.clear();
        }
    }
}
