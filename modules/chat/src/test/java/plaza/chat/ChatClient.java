package plaza.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import plaza.platform.http.Json;

/** A test client on the JDK's WebSocket: frames are parsed and queued; waits are bounded. */
final class ChatClient implements WebSocket.Listener, AutoCloseable {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Duration WAIT = Duration.ofSeconds(15);

    final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
    /** Every frame received, in order (for checks over a whole session). */
    final List<JsonNode> received = java.util.Collections.synchronizedList(new ArrayList<>());
    private final StringBuilder partial = new StringBuilder();
    private final java.util.ArrayDeque<JsonNode> backlog = new java.util.ArrayDeque<>();
    private WebSocket ws;

    static ChatClient connect(URI uri, String token) {
        return connect(uri, Map.of("Authorization", "Bearer " + token), List.of());
    }

    static ChatClient connect(URI uri, Map<String, String> headers, List<String> subprotocols) {
        ChatClient client = new ChatClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.getFirst(), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        client.ws = builder.buildAsync(uri, client).orTimeout(15, TimeUnit.SECONDS).join();
        return client;
    }

    WebSocket socket() {
        return ws;
    }

    void send(String text) {
        ws.sendText(text, true).orTimeout(15, TimeUnit.SECONDS).join();
    }

    void send(Map<String, ?> action) {
        send(Json.write(action));
    }

    /**
     * The next frame of {@code type}. Frames of other types that come first are kept, in order,
     * for later calls (an {@code ack} and the sender's own {@code message} may come in either order).
     */
    JsonNode next(String type) {
        return next(f -> type.equals(f.path("type").asText()), WAIT);
    }

    JsonNode next(Predicate<JsonNode> wanted, Duration wait) {
        for (var it = backlog.iterator(); it.hasNext(); ) {
            JsonNode f = it.next();
            if (wanted.test(f)) {
                it.remove();
                return f;
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("No matching frame within " + wait + "; skipped: " + backlog);
            }
            try {
                JsonNode f = frames.poll(left, TimeUnit.NANOSECONDS);
                if (f != null) {
                    if (wanted.test(f)) {
                        return f;
                    }
                    backlog.add(f);
                    if (backlog.size() > 10_000) {
                        backlog.removeFirst();
                    }
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The next {@code n} message frames (other frames dropped). */
    List<JsonNode> messages(int n) {
        List<JsonNode> result = new ArrayList<>();
        while (result.size() < n) {
            result.add(next("message"));
        }
        return result;
    }

    /** Frames of {@code type} arriving within {@code wait} (to show that nothing comes). */
    List<JsonNode> drain(String type, Duration wait) {
        List<JsonNode> result = new ArrayList<>();
        for (var it = backlog.iterator(); it.hasNext(); ) {
            JsonNode f = it.next();
            if (type.equals(f.path("type").asText())) {
                it.remove();
                result.add(f);
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode f = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (f != null && type.equals(f.path("type").asText())) {
                    result.add(f);
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return result;
    }

    int awaitClose() {
        return closed.orTimeout(15, TimeUnit.SECONDS).join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            JsonNode frame = Json.parse(partial.toString());
            received.add(frame);
            frames.add(frame);
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        pongs.add(message);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(1006);
    }

    @Override
    public void close() {
        if (!closed.isDone() && !ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
                closed.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> 0).join();
            } catch (RuntimeException ignored) {
                ws.abort();
            }
        }
    }
}
