package plaza.assistant.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Tokens one model call consumed. {@code estimated} is true when the provider reported no usage
 * and {@link TokenEstimator} counted instead (a cancelled stream, a provider without
 * {@code stream_options.include_usage}).
 */
public record TokenUsage(@JsonProperty("input_tokens") int inputTokens,
                         @JsonProperty("output_tokens") int outputTokens,
                         @JsonProperty("estimated") boolean estimated) {

    public int total() {
        return inputTokens + outputTokens;
    }
}
