package plaza.assistant.usage;

import java.util.UUID;

/** One model call as it is billed: who, which model, why, how it ended, tokens and timings. */
public record UsageRecord(String userId, UUID conversationId, UUID messageId, String model, String purpose, String outcome,
                          int inputTokens, int outputTokens, boolean estimated, int latencyMs, Integer firstTokenMs) {
}
