package plaza.assistant.replies;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;

/**
 * Streams a reply as Server-Sent Events (Helidon 4.1.2 has no SSE module on Maven Central, so
 * this writes {@code text/event-stream} by hand and flushes whenever it has caught up):
 * {@code event: delta} {@code {"type":"delta","text"}} frames, then {@code event: done} with the
 * saved ids and usage, or {@code event: error} with a problem body if the provider failed
 * mid-stream (nothing of the turn is saved then). Until the first token nothing is sent, so a
 * provider that fails up front still gets a real 502/504 status. A client that disconnects just
 * stops receiving: the reply finishes and is saved.
 */
public final class SseReply {

    private SseReply() {
    }

    public static boolean wanted(ServerRequest req) {
        return req.headers().first(HeaderNames.ACCEPT).map(a -> a.contains("text/event-stream")).orElse(false)
               || req.query().first("stream").map("true"::equalsIgnoreCase).orElse(false);
    }

    public static void stream(ServerRequest req, ServerResponse res, Generation generation, ReplyEvents events) {
        Object event;
        try {
            event = events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            generation.detach();
            return;
        }
        if (event instanceof ProblemException problem) {
            throw problem;
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header("X-Accel-Buffering", "no");
        try (OutputStream out = res.outputStream()) {
            while (true) {
                out.write(frame(event, req.path().rawPath()));
                if (ReplyEvents.isLast(event)) {
                    break;
                }
                event = events.poll();
                if (event == null) {
                    out.flush();
                    event = events.take();
                }
            }
            out.flush();
        } catch (IOException | UncheckedIOException e) {
            generation.detach(); // the client left; the reply still completes and is saved
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            generation.detach();
        }
    }

    private static byte[] frame(Object event, String path) {
        String name;
        Object data;
        if (event instanceof String text) {
            // the hot path: one frame per token, built without a map
            return ("event: delta\ndata: {\"type\":\"delta\",\"text\":" + Json.write(text) + "}\n\n").getBytes(StandardCharsets.UTF_8);
        } else if (event instanceof TurnResult turn) {
            name = "done";
            data = done(turn);
        } else {
            name = "error";
            data = ((ProblemException) event).problem(path);
        }
        return ("event: " + name + "\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The final frame, as SSE and WebSocket send it. */
    public static Map<String, Object> done(TurnResult turn) {
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("type", "done");
        done.put("conversationId", turn.conversationId());
        done.put("userMessageId", turn.userMessageId());
        done.put("messageId", turn.messageId());
        done.put("status", turn.status());
        done.put("model", turn.model());
        done.put("usage", turn.usage());
        return done;
    }
}
