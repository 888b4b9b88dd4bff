package plaza.chat.presence;

import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import plaza.chat.messages.Envelope;
import plaza.chat.messages.MessageStore;
import plaza.platform.http.Json;

/**
 * Who is online in which group, announced to the group as {@code presence} frames on every
 * replica: {@code {"type":"presence","groupId","event":"join"|"leave","user":{…},"online":[…],"count"}}.
 */
public final class Presence {

    private static final System.Logger LOG = System.getLogger(Presence.class.getName());
    /** Online users listed in a presence frame; {@code count} has the full number. */
    public static final int LISTED = 50;

    private final ConnectionStore connections;
    private final MessageStore messages;

    public Presence(ConnectionStore connections, MessageStore messages) {
        this.connections = connections;
        this.messages = messages;
    }

    public ConnectionStore connections() {
        return connections;
    }

    public void joined(UUID connectionId, String groupId, String userId, String userName) {
        try {
            connections.join(connectionId, groupId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not record " + connectionId + " in " + groupId + ": " + e.getMessage());
        }
        announce(groupId, "join", userId, userName);
    }

    public void left(UUID connectionId, String groupId, String userId, String userName) {
        connections.leave(connectionId, groupId);
        announce(groupId, "leave", userId, userName);
    }

    public void disconnected(UUID connectionId, String userId, String userName) {
        for (String groupId : connections.close(connectionId)) {
            announce(groupId, "leave", userId, userName);
        }
    }

    /** Announces the current state of groups whose members changed without a known user (expired replicas). */
    public void refresh(Collection<String> groupIds) {
        for (String groupId : groupIds) {
            announce(groupId, "refresh", null, null);
        }
    }

    /** The presence frame for a group as it is now. */
    public ObjectNode frame(String groupId, String event, String userId, String userName) {
        return frame(connections.online(groupId, LISTED), groupId, event, userId, userName);
    }

    private static ObjectNode frame(ConnectionStore.Online online, String groupId, String event, String userId, String userName) {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("type", "presence");
        frame.put("groupId", groupId);
        frame.put("event", event);
        if (userId != null) {
            ObjectNode user = frame.putObject("user");
            user.put("id", userId);
            user.put("name", userName);
        }
        ArrayNode list = frame.putArray("online");
        for (ConnectionStore.Member m : online.members()) {
            list.addObject().put("id", m.id()).put("name", m.name());
        }
        frame.put("count", online.total());
        return frame;
    }

    /** Snapshot and NOTIFY under the group's lock, so the last frame every member gets is the newest state. */
    private void announce(String groupId, String event, String userId, String userName) {
        try {
            connections.withMembers(groupId, LISTED, (c, online) -> {
                ObjectNode frame = frame(online, groupId, event, userId, userName);
                String payload = Envelope.unordered(groupId, Json.write(frame), null);
                if (payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= Envelope.MAX_PAYLOAD_BYTES) {
                    frame.remove("online");
                    payload = Envelope.unordered(groupId, Json.write(frame), null);
                }
                messages.publish(c, payload);
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Announcing presence in " + groupId + " failed: " + e.getMessage());
        }
    }
}
