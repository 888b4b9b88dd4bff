package plaza.assistant.memory;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

import io.helidon.http.Status;
import plaza.assistant.AssistantSettings;
import plaza.assistant.conversations.Conversation;
import plaza.assistant.conversations.ConversationRepository;
import plaza.assistant.conversations.StoredMessage;
import plaza.assistant.model.Cancellation;
import plaza.assistant.model.ChatMessage;
import plaza.assistant.model.ModelCatalog;
import plaza.assistant.model.ModelException;
import plaza.assistant.model.ModelRequest;
import plaza.assistant.model.ModelResult;
import plaza.assistant.model.SummaryPrompts;
import plaza.assistant.model.TokenEstimator;
import plaza.assistant.usage.UsageRecord;
import plaza.assistant.usage.UsageRepository;
import plaza.platform.http.ProblemException;

/**
 * A conversation's memory for the next reply. The input budget is the model's context
 * ({@code assistant.models[*].context-tokens}) less {@code memory.reserve-tokens} for the reply.
 * When the system prompt, summary and every unsummarized turn pass {@code memory.summary-trigger}
 * (0.8) of it, the oldest turns are folded into the summary by the conversation's own model until
 * the rest fits {@code memory.summary-target} (0.4), and that checkpoint is stored on the
 * conversation. Whatever still does not fit is left out of the window, oldest whole turns first.
 */
public final class ConversationMemory {

    private static final System.Logger LOG = System.getLogger(ConversationMemory.class.getName());

    /** The messages read for one reply: what {@link #window} and {@link #checkpoint} work on. */
    public record Snapshot(Conversation conversation, List<StoredMessage> unsummarized, int inputBudget) {
    }

    private final ConversationRepository conversations;
    private final UsageRepository usage;
    private final ModelCatalog models;
    private final AssistantSettings.Memory settings;

    public ConversationMemory(ConversationRepository conversations, UsageRepository usage, ModelCatalog models,
                              AssistantSettings.Memory settings) {
        this.conversations = conversations;
        this.usage = usage;
        this.models = models;
        this.settings = settings;
    }

    /** Reads what the next reply needs; 400 when the new message alone cannot fit the model's context. */
    public Snapshot snapshot(Conversation conversation, List<StoredMessage> unsummarized, String userContent) {
        int budget = Math.max(256, models.contextTokens(conversation.model()) - settings.reserveTokens());
        int fixed = TokenEstimator.messages(ContextWindow.preamble(conversation)) + TokenEstimator.message(userContent);
        if (fixed > budget) {
            throw new ProblemException(Status.BAD_REQUEST_400, "message-too-long", "Message too long",
                                       "This message and the conversation's system prompt need about " + fixed
                                       + " tokens, but model " + conversation.model() + " accepts " + budget
                                       + " per request; send a shorter message.");
        }
        return new Snapshot(conversation, unsummarized, budget);
    }

    public boolean needsCheckpoint(Snapshot s, String userContent) {
        int total = TokenEstimator.messages(ContextWindow.preamble(s.conversation())) + TokenEstimator.message(userContent);
        for (StoredMessage m : s.unsummarized()) {
            total += m.tokens();
        }
        return total > settings.summaryTrigger() * s.inputBudget() && ContextWindow.turns(s.unsummarized()).size() > 1;
    }

    /**
     * Folds the oldest turns into the summary and stores the checkpoint; returns the snapshot to
     * build the window from (unchanged if the summary call failed: the window then just drops
     * the oldest turns).
     */
    public Snapshot checkpoint(Snapshot s, String userContent, Cancellation cancellation) {
        Conversation c = s.conversation();
        List<ContextWindow.Turn> turns = ContextWindow.turns(s.unsummarized());
        int target = (int) (settings.summaryTarget() * s.inputBudget());
        int keep = TokenEstimator.message(userContent) + TokenEstimator.messages(ContextWindow.preamble(c));
        int kept = 0;
        int firstKept = turns.size();
        while (firstKept > 1 && keep + turns.get(firstKept - 1).tokens() <= target) {
            keep += turns.get(firstKept - 1).tokens();
            firstKept--;
            kept++;
        }
        if (firstKept == 0 || kept == turns.size()) {
            return s;
        }
        List<ContextWindow.Turn> folded = turns.subList(0, firstKept);
        ModelRequest request = summaryRequest(c.model(), c.summary(), folded);
        long started = System.nanoTime();
        ModelResult result;
        try {
            result = models.forModel(c.model()).stream(request, piece -> { }, cancellation);
        } catch (ModelException e) {
            LOG.log(Level.WARNING, "Summarizing conversation " + c.id() + " failed; the window drops old turns instead: " + e.getMessage());
            usage.record(new UsageRecord(c.userId(), c.id(), null, c.model(), "summary", e.outcome(), 0, 0, false,
                                         millis(started), null));
            return s;
        }
        var tokens = result.reportedUsage() != null ? result.reportedUsage()
                : new plaza.assistant.model.TokenUsage(TokenEstimator.messages(request.messages()), TokenEstimator.text(result.text()), true);
        usage.record(new UsageRecord(c.userId(), c.id(), null, c.model(), "summary", result.cancelled() ? "cancelled" : "ok",
                                     tokens.inputTokens(), tokens.outputTokens(), tokens.estimated(), millis(started), null));
        if (result.cancelled() || result.text().isBlank()) {
            return s;
        }
        String summary = clip(result.text().strip());
        long through = folded.getLast().lastSeq();
        int summaryTokens = TokenEstimator.text(summary);
        if (!conversations.saveCheckpoint(c.id(), c.summaryThrough(), summary, through, summaryTokens)) {
            return s; // someone else checkpointed first; their summary stands, ours would double-count
        }
        Conversation updated = new Conversation(c.id(), c.userId(), c.title(), c.model(), c.promptId(), c.systemPrompt(),
                                                summary, through, summaryTokens, c.createdAt(), c.updatedAt());
        List<StoredMessage> rest = new ArrayList<>();
        for (StoredMessage m : s.unsummarized()) {
            if (m.seq() > through) {
                rest.add(m);
            }
        }
        return new Snapshot(updated, rest, s.inputBudget());
    }

    public ContextWindow window(Snapshot s, String userContent) {
        return ContextWindow.build(s.conversation(), ContextWindow.turns(s.unsummarized()), userContent, s.inputBudget());
    }

    private ModelRequest summaryRequest(String model, String previous, List<ContextWindow.Turn> turns) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system(SummaryPrompts.INSTRUCTION + " Use at most " + (settings.maxSummaryTokens() * 3 / 4) + " words."));
        if (!previous.isBlank()) {
            messages.add(ChatMessage.system(SummaryPrompts.PREVIOUS_PREFIX + "\n" + previous));
        }
        StringBuilder transcript = new StringBuilder();
        for (ContextWindow.Turn turn : turns) {
            for (StoredMessage m : turn.messages()) {
                transcript.append("user".equals(m.role()) ? SummaryPrompts.USER_LINE : SummaryPrompts.ASSISTANT_LINE)
                        .append(m.content().replace('\n', ' ')).append('\n');
            }
        }
        messages.add(ChatMessage.user(transcript.toString()));
        return new ModelRequest(model, messages, ModelRequest.Purpose.SUMMARY);
    }

    private String clip(String summary) {
        int maxChars = settings.maxSummaryTokens() * 4;
        return summary.length() > maxChars ? summary.substring(0, maxChars) : summary;
    }

    private static int millis(long started) {
        return (int) ((System.nanoTime() - started) / 1_000_000);
    }
}
