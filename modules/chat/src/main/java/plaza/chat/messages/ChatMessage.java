package plaza.chat.messages;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import plaza.platform.http.Json;

/**
 * One stored message. {@code seq} is the group event that created it, {@code versionSeq} the latest
 * event that touched it (an edit or the delete).
 */
public record ChatMessage(UUID messageId, String groupId, long seq, long versionSeq, String senderId, String senderName,
                          String body, Instant createdAt, Instant editedAt, Instant deletedAt) {

    /** The {@code message} frame clients get, with edit/delete marks; a deleted message has no text. */
    public ObjectNode toFrame() {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("type", "message");
        frame.put("groupId", groupId);
        frame.put("messageId", messageId.toString());
        frame.put("seq", seq);
        ObjectNode sender = frame.putObject("sender");
        sender.put("id", senderId);
        sender.put("name", senderName);
        if (deletedAt == null) {
            frame.put("message", body);
        } else {
            frame.putNull("message");
        }
        frame.put("createdAt", createdAt.toString());
        if (editedAt != null) {
            frame.put("editedAt", editedAt.toString());
        }
        if (deletedAt != null) {
            frame.put("deleted", true);
            frame.put("deletedAt", deletedAt.toString());
        }
        return frame;
    }

    /** The {@code edited} or {@code deleted} frame announcing this message's latest change. */
    public ObjectNode toChangeFrame() {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("type", deletedAt != null ? "deleted" : "edited");
        frame.put("groupId", groupId);
        frame.put("messageId", messageId.toString());
        frame.put("seq", versionSeq);
        frame.put("messageSeq", seq);
        ObjectNode sender = frame.putObject("sender");
        sender.put("id", senderId);
        sender.put("name", senderName);
        if (deletedAt != null) {
            frame.put("deletedAt", deletedAt.toString());
        } else {
            frame.put("message", body);
            frame.put("editedAt", editedAt == null ? createdAt.toString() : editedAt.toString());
        }
        return frame;
    }
}
