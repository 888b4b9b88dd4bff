package plaza.assistant.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * {@code plaza-local}: a built-in model that needs no network, so every feature works offline. It
 * answers deterministically — it quotes the last user message and says how much of the
 * conversation it was sent — and streams word by word with {@code assistant.local.token-delay}
 * between words. Asked for a summary, it lists the opening words of each user turn. Its token
 * counts are its own (words out, {@link TokenEstimator} in), so usage is not marked estimated.
 */
public final class LocalModel implements ChatModel {

    public static final String NAME = "plaza-local";
    private static final int QUOTE_LIMIT = 200;

    private final Duration tokenDelay;

    public LocalModel(Duration tokenDelay) {
        this.tokenDelay = tokenDelay;
    }

    @Override
    public ModelResult stream(ModelRequest request, Consumer<String> deltas, Cancellation cancellation) {
        String answer = request.purpose() == ModelRequest.Purpose.SUMMARY ? summary(request) : reply(request);
        List<String> pieces = pieces(answer);
        StringBuilder sent = new StringBuilder();
        int produced = 0;
        for (String piece : pieces) {
            if (cancellation.isCancelled()) {
                break;
            }
            if (!tokenDelay.isZero()) {
                LockSupport.parkNanos(tokenDelay.toNanos());
                if (cancellation.isCancelled()) {
                    break;
                }
            }
            deltas.accept(piece);
            sent.append(piece);
            produced++;
        }
        boolean cancelled = produced < pieces.size();
        TokenUsage usage = new TokenUsage(TokenEstimator.messages(request.messages()), produced, false);
        return new ModelResult(sent.toString(), usage, cancelled ? null : "stop", cancelled);
    }

    private static String reply(ModelRequest request) {
        List<ChatMessage> messages = request.messages();
        String last = "";
        int earlier = 0;
        boolean summary = false;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if ("user".equals(m.role())) {
                last = m.content();
            }
            if (!"system".equals(m.role()) && i < messages.size() - 1) {
                earlier++;
            }
            if ("system".equals(m.role()) && m.content().startsWith(SummaryPrompts.SUMMARY_PREFIX)) {
                summary = true;
            }
        }
        String quote = last.length() > QUOTE_LIMIT ? last.substring(0, QUOTE_LIMIT) + "…" : last;
        return "This is plaza-local, Plaza's built-in offline model. You said: \"" + quote.strip() + "\". "
               + "I was sent " + earlier + (earlier == 1 ? " earlier message" : " earlier messages")
               + (summary ? " and a summary of the rest of our conversation." : " of this conversation.")
               + " Configure a real provider to get real answers.";
    }

    private static String summary(ModelRequest request) {
        StringBuilder out = new StringBuilder();
        StringBuilder said = new StringBuilder();
        for (ChatMessage m : request.messages()) {
            if ("system".equals(m.role()) && m.content().startsWith(SummaryPrompts.PREVIOUS_PREFIX)) {
                out.append(m.content().substring(SummaryPrompts.PREVIOUS_PREFIX.length()).strip()).append(' ');
            } else if ("user".equals(m.role())) {
                for (String line : m.content().split("\n")) {
                    if (line.startsWith(SummaryPrompts.USER_LINE)) {
                        String[] words = line.substring(SummaryPrompts.USER_LINE.length()).strip().split("\\s+");
                        said.append(said.isEmpty() ? "" : "; ")
                                .append(String.join(" ", java.util.Arrays.asList(words).subList(0, Math.min(8, words.length))));
                    }
                }
            }
        }
        return out.append("Earlier the user said: ").append(said).append('.').toString();
    }

    /** Words with their trailing whitespace: what plaza-local calls a token. */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i)) && (i + 1 == text.length() || !Character.isWhitespace(text.charAt(i + 1)))) {
                pieces.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            pieces.add(text.substring(start));
        }
        return pieces;
    }
}
