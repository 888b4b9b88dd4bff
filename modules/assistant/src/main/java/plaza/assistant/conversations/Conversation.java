package plaza.assistant.conversations;

import java.time.Instant;
import java.util.UUID;

/**
 * A user's conversation with the assistant: its model, the system prompt rendered when it started,
 * and the memory checkpoint — the rolling {@code summary} of every message up to
 * {@code summaryThrough} (a message {@code seq}).
 */
public record Conversation(UUID id, String userId, String title, String model, UUID promptId, String systemPrompt,
                           String summary, long summaryThrough, int summaryTokens, Instant createdAt, Instant updatedAt) {
}
