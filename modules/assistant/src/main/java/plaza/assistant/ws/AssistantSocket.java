package plaza.assistant.ws;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import plaza.assistant.replies.Generation;
import plaza.assistant.replies.ReplyListener;
import plaza.assistant.replies.ReplyService;
import plaza.assistant.replies.SseReply;
import plaza.assistant.replies.TurnResult;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;
import plaza.platform.security.Caller;
import plaza.platform.security.UpgradeGate;

/**
 * One {@code /ai/ws} connection (seed 000's connect / message / disconnect). Client frames:
 * {@code {"action":"message","conversationId","content","requestId"}} starts a reply, streamed back
 * as {@code {"type":"delta","requestId","text"}} frames and one {@code {"type":"done","requestId",
 * "messageId","status","usage":{...}}}; {@code {"action":"cancel","requestId"}} stops it (the
 * partial reply is saved, status {@code cancelled}); {@code ping} and {@code disconnect}.
 * Problems come back as {@code {"type":"error","requestId","status","title","detail"}} and the
 * connection stays open. A reply whose client disconnected still finishes and is saved.
 */
public final class AssistantSocket implements WsListener {

    private static final int MAX_TEXT = 1024 * 1024;
    /** Ends connections whose access token expired; one timer thread for every socket of the JVM. */
    private static final ScheduledExecutorService EXPIRY = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("assistant-ws-expiry").factory());
    private final UpgradeGate auth;
    private final ReplyService replies;
    private final int maxInFlight;
    private final Map<String, Generation> inFlight = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile Caller caller;
    private volatile SocketSender sender;
    private volatile ScheduledFuture<?> expiry;

    public AssistantSocket(UpgradeGate auth, ReplyService replies, int maxInFlight) {
        this.auth = auth;
        this.replies = replies;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        try {
            UpgradeGate.Admission result = auth.admitUpgrade(prologue, headers);
            caller = result.caller();
            if (result.subprotocol()) {
                WritableHeaders<?> response = WritableHeaders.create();
                response.set(io.helidon.http.HeaderNames.create("Sec-WebSocket-Protocol"), "bearer");
                return Optional.of(response);
            }
            return Optional.empty();
        } catch (ProblemException e) {
            throw new WsUpgradeException(e.getMessage());
        }
    }

    @Override
    public void onOpen(WsSession session) {
        sender = new SocketSender(session);
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("type", "connected");
        hello.put("userId", caller.id());
        hello.put("expiresAt", caller.expiresAt().toString());
        sender.send(Json.write(hello));
        watchExpiry();
    }

    /** Closes the connection (1008) when the current token expires, unless an {@code auth} renewed it by then. */
    private void watchExpiry() {
        ScheduledFuture<?> previous = expiry;
        if (previous != null) {
            previous.cancel(false);
        }
        // Rounded up: a timer a fraction of a millisecond early would find the token still valid.
        long millis = Math.max(0, Duration.between(Instant.now(), caller.expiresAt()).toMillis() + 1);
        expiry = EXPIRY.schedule(this::expire, millis, TimeUnit.MILLISECONDS);
    }

    private void expire() {
        if (!caller.expired(Instant.now())) {
            watchExpiry(); // renewed meanwhile, or the wall clock is behind the timer's: look again later
            return;
        }
        error(null, new ProblemException(Status.UNAUTHORIZED_401, "token-expired", "Token expired",
                                         "The access token of this connection expired; send {\"action\":\"auth\",\"token\":...} "
                                         + "with a fresh one before it does, or reconnect. Replies in progress are still saved."));
        SocketSender s = sender;
        if (s != null) {
            s.finish(socket -> socket.close(WsCloseCodes.VIOLATED_POLICY, "token expired"));
        }
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (partial.length() + text.length() > MAX_TEXT) {
            partial.setLength(0);
            error(null, ProblemException.badRequest("Frames are limited to " + MAX_TEXT + " characters."));
            return;
        }
        partial.append(text);
        if (!last) {
            return;
        }
        String message = partial.toString();
        partial.setLength(0);
        handle(message);
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        if (last) {
            error(null, ProblemException.badRequest("Send JSON text frames, not binary ones."));
        }
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        byte[] payload = buffer.readBytes();
        sender.submit(s -> s.pong(BufferData.create(payload)));
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        leave();
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        leave();
    }

    private void leave() {
        ScheduledFuture<?> timer = expiry;
        if (timer != null) {
            timer.cancel(false);
        }
        // Replies in flight keep going and are saved; only their frames stop.
        inFlight.values().forEach(Generation::detach);
        inFlight.clear();
        if (sender != null) {
            sender.stop();
        }
    }

    private void handle(String text) {
        String requestId = null;
        try {
            JsonNode frame = Json.parse(text);
            if (!frame.isObject()) {
                throw ProblemException.badRequest("A frame must be a JSON object with an \"action\".");
            }
            JsonNode rid = frame.path("requestId");
            if (!rid.isMissingNode() && !rid.isNull()) {
                if (!rid.isTextual() || rid.asText().isBlank() || rid.asText().length() > 100 || loneSurrogate(rid.asText())) {
                    throw ProblemException.badRequest("requestId must be a non-empty string of at most 100 characters.");
                }
                requestId = rid.asText();
            }
            String action = frame.path("action").asText("");
            switch (action) {
                case "message" -> message(frame, requestId != null ? requestId : UUID.randomUUID().toString());
                case "cancel" -> cancel(requestId);
                case "auth" -> renew(frame, requestId);
                case "ping" -> sender.send(Json.write(Map.of("type", "pong")));
                case "disconnect" -> sender.finish(s -> s.close(WsCloseCodes.NORMAL_CLOSE, "bye"));
                default -> throw ProblemException.badRequest("Unknown action '" + clip(action)
                                                             + "'; use message, cancel, auth, ping or disconnect.");
            }
        } catch (ProblemException e) {
            error(requestId, e);
        }
    }

    private void message(JsonNode frame, String requestId) {
        JsonNode conversation = frame.path("conversationId");
        JsonNode content = frame.path("content");
        UUID conversationId;
        try {
            conversationId = UUID.fromString(conversation.asText(""));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("conversationId must be the UUID of one of your conversations.");
        }
        if (!content.isTextual()) {
            throw ProblemException.badRequest("content must be a string.");
        }
        if (inFlight.containsKey(requestId)) {
            throw ProblemException.conflict("Request " + clip(requestId) + " is still running.");
        }
        if (inFlight.size() >= maxInFlight) {
            throw new ProblemException(Status.TOO_MANY_REQUESTS_429, "too-many-replies", "Too many replies",
                                       "At most " + maxInFlight + " replies can run at once on one connection.");
        }
        Generation generation = replies.start(caller, conversationId, content.asText(), new FrameListener(requestId));
        inFlight.put(requestId, generation);
        if (generation.result().isDone()) {
            inFlight.remove(requestId, generation);
        }
    }

    private void renew(JsonNode frame, String requestId) {
        JsonNode token = frame.path("token");
        caller = auth.renew(caller, token.isTextual() ? token.asText() : null);
        watchExpiry();
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("type", "authenticated");
        reply.put("requestId", requestId);
        reply.put("expiresAt", caller.expiresAt().toString());
        sender.send(Json.write(reply));
    }

    private void cancel(String requestId) {
        if (requestId == null) {
            throw ProblemException.badRequest("cancel needs the requestId of the reply to stop.");
        }
        Generation generation = inFlight.get(requestId);
        if (generation == null) {
            throw ProblemException.notFound("No reply " + clip(requestId) + " is running on this connection.");
        }
        generation.cancel();
    }

    private void error(String requestId, ProblemException e) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "error");
        frame.put("requestId", requestId);
        var problem = e.problem("/ai/ws");
        frame.put("status", problem.status());
        frame.put("problem", problem.type());
        frame.put("title", problem.title());
        frame.put("detail", problem.detail());
        if (problem.retryAfterSeconds() != null) {
            frame.put("retryAfterSeconds", problem.retryAfterSeconds());
        }
        SocketSender s = sender;
        if (s != null) {
            s.send(Json.write(frame));
        }
    }

    /** True when {@code s} holds half a surrogate pair (JSON's "\ud800" parses to one): it could not be sent back as UTF-8. */
    private static boolean loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return true;
            }
        }
        return false;
    }

    private static String clip(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }

    /** Turns one generation's events into frames tagged with its requestId. */
    private final class FrameListener implements ReplyListener {
        private final String requestId;

        FrameListener(String requestId) {
            this.requestId = requestId;
        }

        @Override
        public void delta(String text) {
            Map<String, Object> frame = new LinkedHashMap<>(4);
            frame.put("type", "delta");
            frame.put("requestId", requestId);
            frame.put("text", text);
            sender.send(Json.write(frame));
        }

        @Override
        public void done(TurnResult turn) {
            inFlight.remove(requestId);
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("type", "done");
            frame.put("requestId", requestId);
            frame.putAll(SseReply.done(turn));
            sender.send(Json.write(frame));
        }

        @Override
        public void failed(ProblemException problem) {
            inFlight.remove(requestId);
            error(requestId, problem);
        }
    }
}
