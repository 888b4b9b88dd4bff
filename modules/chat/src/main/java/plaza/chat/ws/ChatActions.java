package plaza.chat.ws;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import plaza.chat.ChatMetrics;
import plaza.chat.ChatSettings;
import plaza.chat.fanout.GroupFanouts;
import plaza.chat.messages.ChatException;
import plaza.chat.messages.ChatMessage;
import plaza.chat.messages.Envelope;
import plaza.chat.messages.MessageStore;
import plaza.chat.presence.Presence;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;
import plaza.platform.http.RateLimiter;
import plaza.platform.security.Caller;
import plaza.platform.security.UpgradeGate;

/**
 * What clients can do over {@code /chat/ws}: {@code joinGroup} (with {@code sinceSeq} to recover),
 * {@code leaveGroup}, {@code sendMessage}, {@code editMessage}, {@code deleteMessage}, {@code typing},
 * {@code markRead}, {@code history}, {@code invite}, {@code ping}. Every refusal is an {@code error}
 * frame with the request's {@code requestId}; the connection stays open.
 */
public final class ChatActions {

    private static final System.Logger LOG = System.getLogger(ChatActions.class.getName());
    /** Group ids: letters (any script), digits, {@code _ . : -}, 1 to 64 characters. */
    public static final Pattern GROUP_ID = Pattern.compile("[\\p{L}\\p{N}_.:\\-]{1,64}");
    private static final String ACTIONS = "joinGroup, leaveGroup, sendMessage, editMessage, deleteMessage, typing, markRead, history, invite, auth, ping";

    private final ChatSettings settings;
    private final UpgradeGate gate;
    private final MessageStore store;
    private final GroupFanouts fanouts;
    private final Presence presence;
    private final RateLimiter rate;

    public ChatActions(ChatSettings settings, MessageStore store, GroupFanouts fanouts, Presence presence, UpgradeGate gate) {
        this.settings = settings;
        this.gate = gate;
        this.store = store;
        this.fanouts = fanouts;
        this.presence = presence;
        this.rate = new RateLimiter(Math.max(1, settings.rateBurst()), settings.ratePerSecond());
    }

    /** Handles one complete client frame, on the connection's reader thread. */
    void handle(ChatConnection c, String text) {
        JsonNode node;
        try {
            node = Json.parse(text); // the platform's rules for client JSON: NUL, controls, surrogates, number sizes
        } catch (ProblemException e) {
            boolean fieldErrors = e.problem(null).errors() != null;
            c.reply(Frames.error(fieldErrors ? "validation" : "invalid-json", e.getMessage(), null));
            return;
        }
        if (node == null || !node.isObject()) {
            c.reply(Frames.error("bad-request", "Send a JSON object such as {\"action\":\"joinGroup\",\"groupId\":\"group1\"}.", null));
            return;
        }
        JsonNode requestId;
        try {
            requestId = requestId(node.get("requestId"));
        } catch (IllegalArgumentException e) {
            c.reply(Frames.error("bad-request", e.getMessage(), null));
            return;
        }
        Optional<Duration> wait = rate.acquire(c.connectionId());
        if (wait.isPresent()) {
            ChatMetrics.get().rateLimited();
            c.reply(Frames.error("rate-limited", "Too many frames; at most " + settings.ratePerSecond() + " per second (burst "
                                                 + settings.rateBurst() + "). Retry in " + Math.max(1, wait.get().toMillis()) + " ms.",
                                 requestId));
            return;
        }
        JsonNode actionNode = node.get("action");
        if (actionNode == null || !actionNode.isTextual()) {
            c.reply(Frames.error("bad-request", "\"action\" is required (one of " + ACTIONS + ").", requestId));
            return;
        }
        String action = actionNode.asText();
        try {
            switch (action) {
                case "joinGroup" -> join(c, node, requestId);
                case "leaveGroup" -> leave(c, node, requestId);
                case "sendMessage" -> send(c, node, requestId);
                case "editMessage" -> edit(c, node, requestId);
                case "deleteMessage" -> delete(c, node, requestId);
                case "typing" -> typing(c, node, requestId);
                case "markRead" -> markRead(c, node, requestId);
                case "history" -> history(c, node, requestId);
                case "invite" -> invite(c, node, requestId);
                case "auth" -> auth(c, node, requestId);
                case "ping" -> c.reply(Json.write(Frames.of("pong", requestId)));
                default -> c.reply(Frames.error("unknown-action", "Unknown action '" + shorten(action) + "'; use one of " + ACTIONS + ".",
                                                requestId));
            }
        } catch (ChatException e) {
            c.reply(Frames.error(e.code(), e.getMessage(), requestId));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Action " + action + " failed on connection " + c.connectionId(), e);
            c.reply(Frames.error("internal", "The server could not do that right now; try again.", requestId));
        }
    }

    /**
     * {@code {"action":"auth","token":"<new access token>"}}: keeps the connection open past the expiry of the
     * token it was opened with. The new token must verify and name the same user.
     */
    private void auth(ChatConnection c, JsonNode node, JsonNode requestId) {
        JsonNode token = node.get("token");
        Caller fresh;
        try {
            fresh = gate.renew(c.caller(), token != null && token.isTextual() ? token.asText() : null);
        } catch (ProblemException e) {
            String code = switch (e.status().code()) {
                case 401 -> "unauthorized";
                case 403 -> "forbidden";
                default -> "bad-request";
            };
            throw new ChatException(code, e.getMessage());
        }
        c.renew(fresh);
        ObjectNode frame = Frames.of("authenticated", requestId);
        frame.put("expiresAt", fresh.expiresAt().toString());
        c.reply(Json.write(frame));
    }

    private void join(ChatConnection c, JsonNode node, JsonNode requestId) {
        String groupId = groupId(node, null);
        Long sinceSeq = longField(node, "sinceSeq");
        if (sinceSeq != null && sinceSeq < 0) {
            throw new ChatException("validation", "sinceSeq must be 0 or more.");
        }
        boolean makePrivate = node.path("private").asBoolean(false);
        boolean already = c.groups().contains(groupId);
        if (!already && c.groups().size() >= settings.maxGroupsPerConnection()) {
            throw new ChatException("too-many-groups", "A connection may be in at most " + settings.maxGroupsPerConnection() + " groups.");
        }
        MessageStore.Group group = store.joinable(groupId, c.caller().id(), makePrivate);
        if (already && sinceSeq == null) {
            c.currentGroup(groupId);
            ObjectNode joined = Frames.of("joined", requestId);
            joined.put("groupId", groupId);
            joined.put("private", group.isPrivate());
            joined.put("lastSeq", fanouts.delivered(groupId));
            c.reply(Json.write(joined));
            return;
        }
        if (already) {
            fanouts.unsubscribe(groupId, c); // resubscribed below, buffered while the replay runs
        }
        // Buffered until the joined frame (and any replay) is queued, so nothing overtakes them.
        long liveFrom = fanouts.subscribe(groupId, c, true);
        c.groups().add(groupId);
        if (c.finished()) {
            fanouts.unsubscribe(groupId, c); // closed meanwhile: its cleanup may have missed this group
            return;
        }
        c.currentGroup(groupId);
        ObjectNode joined = Frames.of("joined", requestId);
        joined.put("groupId", groupId);
        joined.put("private", group.isPrivate());
        joined.put("lastSeq", liveFrom);
        if (sinceSeq == null) {
            c.reply(Json.write(joined));
            fanouts.activate(groupId, c, liveFrom);
        } else {
            replay(c, groupId, sinceSeq, liveFrom, joined);
        }
        if (!already) {
            presence.joined(c.id(), groupId, c.caller().id(), c.userName());
        }
    }

    /** Sends {@code joined} with {@code recovered}, the missed events up to {@code liveFrom}, then goes live. */
    private void replay(ChatConnection c, String groupId, long sinceSeq, long liveFrom, ObjectNode joined) {
        try {
            boolean recovered;
            java.util.List<MessageStore.Event> missed = java.util.List.of();
            if (sinceSeq > liveFrom) {
                recovered = false; // the client knows seqs this group never had (another database?)
            } else if (sinceSeq == liveFrom) {
                recovered = true;
            } else {
                ChatMetrics.get().catchUp();
                MessageStore.Replay replay = store.since(groupId, sinceSeq, settings.maxReplay() + 1);
                missed = replay == null ? java.util.List.of()
                        : replay.events().stream().filter(e -> e.seq() <= liveFrom).toList();
                recovered = replay != null && sinceSeq >= replay.purgedSeq() && missed.size() <= settings.maxReplay();
                if (!recovered) {
                    missed = java.util.List.of();
                }
            }
            joined.put("recovered", recovered);
            joined.put("missed", missed.size());
            c.reply(Json.write(joined));
            for (MessageStore.Event e : missed) {
                c.deliver(e.frame(), 0, true);
            }
        } finally {
            fanouts.activate(groupId, c, liveFrom);
        }
    }

    private void leave(ChatConnection c, JsonNode node, JsonNode requestId) {
        String groupId = groupId(node, c.currentGroup());
        if (!c.groups().remove(groupId)) {
            throw new ChatException("not-joined", "This connection is not in group " + groupId + ".");
        }
        fanouts.unsubscribe(groupId, c);
        if (groupId.equals(c.currentGroup())) {
            c.currentGroup(c.groups().stream().findFirst().orElse(null));
        }
        ObjectNode left = Frames.of("left", requestId);
        left.put("groupId", groupId);
        c.reply(Json.write(left));
        presence.left(c.id(), groupId, c.caller().id(), c.userName());
    }

    private void send(ChatConnection c, JsonNode node, JsonNode requestId) {
        String groupId = joinedGroup(c, node);
        String text = messageText(node);
        MessageStore.Posted posted = store.post(groupId, c.caller().id(), c.userName(), text);
        ChatMetrics.get().received();
        ObjectNode ack = Frames.ack("sendMessage", requestId);
        ack.put("groupId", groupId);
        ack.put("messageId", posted.messageId().toString());
        ack.put("seq", posted.seq());
        ack.put("createdAt", posted.createdAt().toString());
        c.reply(Json.write(ack));
    }

    private void edit(ChatConnection c, JsonNode node, JsonNode requestId) {
        UUID messageId = messageId(node);
        String text = messageText(node);
        ChatMessage edited = store.edit(messageId, c.caller().id(), text);
        ObjectNode ack = Frames.ack("editMessage", requestId);
        ack.put("groupId", edited.groupId());
        ack.put("messageId", messageId.toString());
        ack.put("seq", edited.versionSeq());
        c.reply(Json.write(ack));
    }

    private void delete(ChatConnection c, JsonNode node, JsonNode requestId) {
        UUID messageId = messageId(node);
        ChatMessage deleted = store.delete(messageId, c.caller().id());
        ObjectNode ack = Frames.ack("deleteMessage", requestId);
        ack.put("groupId", deleted.groupId());
        ack.put("messageId", messageId.toString());
        ack.put("seq", deleted.versionSeq());
        c.reply(Json.write(ack));
    }

    private void typing(ChatConnection c, JsonNode node, JsonNode requestId) {
        String groupId = joinedGroup(c, node);
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("type", "typing");
        frame.put("groupId", groupId);
        frame.putObject("user").put("id", c.caller().id()).put("name", c.userName());
        frame.put("typing", node.path("typing").asBoolean(true));
        store.publish(Envelope.unordered(groupId, Json.write(frame), c.connectionId()));
        if (requestId != null) {
            c.reply(Json.write(Frames.ack("typing", requestId)));
        }
    }

    private void markRead(ChatConnection c, JsonNode node, JsonNode requestId) {
        String groupId = groupId(node, c.currentGroup());
        Long seq = longField(node, "seq");
        if (seq == null || seq < 0) {
            throw new ChatException("validation", "seq (the last message read) is required and must be 0 or more.");
        }
        store.readable(groupId, c.caller().id());
        long stored = store.markRead(groupId, c.caller().id(), seq);
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("type", "read");
        frame.put("groupId", groupId);
        frame.putObject("user").put("id", c.caller().id()).put("name", c.userName());
        frame.put("seq", stored);
        store.publish(Envelope.unordered(groupId, Json.write(frame), null));
        ObjectNode ack = Frames.ack("markRead", requestId);
        ack.put("groupId", groupId);
        ack.put("seq", stored);
        c.reply(Json.write(ack));
    }

    private void history(ChatConnection c, JsonNode node, JsonNode requestId) {
        String groupId = groupId(node, c.currentGroup());
        Long before = longField(node, "before");
        Long after = longField(node, "after");
        Long limit = longField(node, "limit");
        if (limit != null && (limit < 1 || limit > 200)) {
            throw new ChatException("validation", "limit must be between 1 and 200.");
        }
        store.readable(groupId, c.caller().id());
        MessageStore.Page page = store.history(groupId, before, after, limit == null ? 50 : limit.intValue());
        ObjectNode frame = Frames.of("history", requestId);
        frame.put("groupId", groupId);
        ArrayNode messages = frame.putArray("messages");
        page.messages().forEach(m -> messages.add(m.toFrame()));
        frame.put("hasMore", page.hasMore());
        c.reply(Json.write(frame));
    }

    private void invite(ChatConnection c, JsonNode node, JsonNode requestId) {
        String groupId = groupId(node, c.currentGroup());
        String userId = textField(node, "userId", 255);
        if (userId == null || userId.isBlank()) {
            throw new ChatException("validation", "userId is required.");
        }
        store.invite(groupId, c.caller().id(), userId);
        ObjectNode ack = Frames.ack("invite", requestId);
        ack.put("groupId", groupId);
        ack.put("userId", userId);
        c.reply(Json.write(ack));
    }

    private String joinedGroup(ChatConnection c, JsonNode node) {
        String groupId = groupId(node, c.currentGroup());
        if (!c.groups().contains(groupId)) {
            throw new ChatException("not-joined", "Join group " + groupId + " first ({\"action\":\"joinGroup\",\"groupId\":\"" + groupId + "\"}).");
        }
        return groupId;
    }

    private String groupId(JsonNode node, String fallback) {
        String groupId = textField(node, "groupId", 1000);
        if (groupId == null) {
            if (fallback == null) {
                throw new ChatException("not-joined", "groupId is required (this connection has not joined a group yet).");
            }
            return fallback;
        }
        if (!GROUP_ID.matcher(groupId).matches()) {
            throw new ChatException("validation", "groupId must be 1 to 64 letters, digits, '_', '.', ':' or '-'.");
        }
        return groupId;
    }

    private String messageText(JsonNode node) {
        JsonNode message = node.get("message");
        if (message == null || message.isNull()) {
            throw new ChatException("validation", "message is required.");
        }
        if (!message.isTextual()) {
            throw new ChatException("validation", "message must be a string.");
        }
        String text = message.asText();
        if (text.isBlank()) {
            throw new ChatException("validation", "message must not be empty.");
        }
        int length = text.codePointCount(0, text.length());
        if (length > settings.maxMessageLength()) {
            throw new ChatException("message-too-long", "Messages are limited to " + settings.maxMessageLength()
                                                        + " characters; this one has " + length + ".");
        }
        return text;
    }

    private static UUID messageId(JsonNode node) {
        String id = textField(node, "messageId", 100);
        if (id == null) {
            throw new ChatException("validation", "messageId is required.");
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ChatException.notFound("No message " + shorten(id) + ".");
        }
    }

    private static String textField(JsonNode node, String field, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ChatException("validation", field + " must be a string.");
        }
        String text = value.asText();
        if (text.length() > max) {
            throw new ChatException("validation", field + " is too long.");
        }
        return text;
    }

    private static Long longField(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new ChatException("validation", field + " must be an integer.");
        }
        return value.asLong();
    }

    /** A string of 1 to 100 characters (whole ones: no lone surrogate) or an integer; anything else is refused, not coerced. */
    private static JsonNode requestId(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value;
        }
        if (value.isTextual() && !value.asText().isBlank() && value.asText().length() <= 100 && wholeCharacters(value.asText())) {
            return value;
        }
        throw new IllegalArgumentException("\"requestId\" must be a string of 1 to 100 characters or an integer.");
    }

    private static boolean wholeCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
