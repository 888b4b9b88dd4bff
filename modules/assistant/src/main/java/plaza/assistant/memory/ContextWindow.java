package plaza.assistant.memory;

import java.util.ArrayList;
import java.util.List;

import plaza.assistant.conversations.Conversation;
import plaza.assistant.conversations.StoredMessage;
import plaza.assistant.model.ChatMessage;
import plaza.assistant.model.SummaryPrompts;
import plaza.assistant.model.TokenEstimator;

/**
 * What one reply request sends: the system prompt, the rolling summary (as a second system
 * message), then as many of the latest whole turns as fit the input budget, then the new user
 * message. A turn is a user message with the assistant replies that follow it; turns are dropped
 * oldest first and never split.
 */
public record ContextWindow(List<ChatMessage> messages, int includedTurns, int droppedTurns, int tokens) {

    /** A user message and the replies after it. */
    record Turn(List<StoredMessage> messages, int tokens) {
        long lastSeq() {
            return messages.getLast().seq();
        }
    }

    /** Fixed part of every request: system prompt and summary. */
    static List<ChatMessage> preamble(Conversation conversation) {
        List<ChatMessage> out = new ArrayList<>(2);
        if (!conversation.systemPrompt().isBlank()) {
            out.add(ChatMessage.system(conversation.systemPrompt()));
        }
        if (!conversation.summary().isBlank()) {
            out.add(ChatMessage.system(SummaryPrompts.SUMMARY_PREFIX + "\n" + conversation.summary()));
        }
        return out;
    }

    static List<Turn> turns(List<StoredMessage> messages) {
        List<Turn> turns = new ArrayList<>();
        List<StoredMessage> current = new ArrayList<>();
        int tokens = 0;
        for (StoredMessage m : messages) {
            if ("user".equals(m.role()) && !current.isEmpty()) {
                turns.add(new Turn(List.copyOf(current), tokens));
                current.clear();
                tokens = 0;
            }
            current.add(m);
            tokens += m.tokens();
        }
        if (!current.isEmpty()) {
            turns.add(new Turn(List.copyOf(current), tokens));
        }
        return turns;
    }

    /** Builds the window for {@code userContent} within {@code inputBudget} tokens. */
    static ContextWindow build(Conversation conversation, List<Turn> turns, String userContent, int inputBudget) {
        List<ChatMessage> preamble = preamble(conversation);
        ChatMessage user = ChatMessage.user(userContent);
        int fixed = TokenEstimator.messages(preamble) + TokenEstimator.message(userContent);
        int available = inputBudget - fixed;
        int used = 0;
        int first = turns.size();
        while (first > 0 && used + turns.get(first - 1).tokens() <= available) {
            used += turns.get(first - 1).tokens();
            first--;
        }
        List<ChatMessage> messages = new ArrayList<>(preamble);
        for (Turn turn : turns.subList(first, turns.size())) {
            for (StoredMessage m : turn.messages()) {
                messages.add(new ChatMessage(m.role(), m.content()));
            }
        }
        messages.add(user);
        return new ContextWindow(messages, turns.size() - first, first, fixed + used);
    }
}
