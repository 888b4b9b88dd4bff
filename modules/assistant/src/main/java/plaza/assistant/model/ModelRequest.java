package plaza.assistant.model;

import java.util.List;

/**
 * What a model is asked: the model name, the messages in order, and why (a reply to the user or
 * folding old turns into the conversation's summary).
 */
public record ModelRequest(String model, List<ChatMessage> messages, Purpose purpose) {

    /** Why the model is called; usage records keep it. */
    public enum Purpose {
        REPLY, SUMMARY;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ModelRequest {
        messages = List.copyOf(messages);
    }
}
