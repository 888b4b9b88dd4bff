package plaza.assistant.replies;

import java.time.Instant;
import java.util.UUID;

import plaza.assistant.model.TokenUsage;

/**
 * A saved turn: the user's message and the assistant's reply (complete, {@code cancelled} part-way,
 * or {@code truncated} at the model's output limit) with the usage the reply cost.
 */
public record TurnResult(UUID conversationId, UUID userMessageId, UUID messageId, String role, String content,
                         String status, String model, TokenUsage usage, int latencyMs, Integer firstTokenMs,
                         Instant createdAt) {
}
