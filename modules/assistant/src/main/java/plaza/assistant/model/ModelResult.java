package plaza.assistant.model;

/**
 * How a model call ended: the text it produced, the provider's usage (null when it sent none),
 * why it stopped ({@code stop}, {@code length}, …) and whether it was cancelled part-way.
 */
public record ModelResult(String text, TokenUsage reportedUsage, String finishReason, boolean cancelled) {
}
