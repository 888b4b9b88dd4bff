package plaza.assistant.model;

import java.util.List;

/**
 * Counts tokens when a provider does not: one token per four characters (code points), rounded up,
 * plus four per message for the role and separators — the rule of thumb OpenAI documents for
 * English text. It sizes the context window and fills usage records marked {@code estimated}.
 */
public final class TokenEstimator {

    /** Per-message overhead (role, separators). */
    public static final int MESSAGE_OVERHEAD = 4;
    /** Added once per request for the reply's priming. */
    public static final int REQUEST_OVERHEAD = 3;

    private TokenEstimator() {
    }

    public static int text(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        int codePoints = text.codePointCount(0, text.length());
        return (codePoints + 3) / 4;
    }

    public static int message(String content) {
        return text(content) + MESSAGE_OVERHEAD;
    }

    public static int messages(List<ChatMessage> messages) {
        int total = REQUEST_OVERHEAD;
        for (ChatMessage m : messages) {
            total += message(m.content());
        }
        return total;
    }
}
