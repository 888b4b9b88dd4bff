package plaza.assistant.conversations;

import java.time.Instant;
import java.util.UUID;

/** A saved message; {@code seq} orders a conversation, {@code tokens} is its estimated size. */
public record StoredMessage(UUID id, long seq, UUID conversationId, String role, String content, String status,
                           int tokens, Instant createdAt) {
}
