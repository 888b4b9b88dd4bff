package plaza.assistant.replies;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.helidon.http.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import plaza.assistant.AssistantSettings;
import plaza.assistant.conversations.Conversation;
import plaza.assistant.conversations.ConversationCache;
import plaza.assistant.conversations.ConversationRepository;
import plaza.assistant.conversations.StoredMessage;
import plaza.assistant.memory.ContextWindow;
import plaza.assistant.memory.ConversationMemory;
import plaza.assistant.model.ModelCatalog;
import plaza.assistant.model.ModelException;
import plaza.assistant.model.ModelRequest;
import plaza.assistant.model.ModelResult;
import plaza.assistant.model.TokenEstimator;
import plaza.assistant.model.TokenUsage;
import plaza.assistant.usage.Quotas;
import plaza.assistant.usage.UsageRecord;
import plaza.assistant.usage.UsageRepository;
import plaza.platform.http.Problem;
import plaza.platform.http.ProblemException;
import plaza.platform.observe.Histograms;
import plaza.platform.security.Caller;

/**
 * Turns a user message into an assistant reply: checks it (400), the conversation (404) and the
 * quota (429) before anything is answered, then generates on a virtual thread — summary checkpoint
 * if the memory needs one, the context window, the model call — and saves the turn with its usage
 * in one statement. REST, SSE and WebSocket all come through {@link #start}.
 *
 * <p>The fast path: when this replica has the conversation cached ({@link ConversationCache}),
 * the caller's quota standing is in memory and no summary checkpoint is due, the model call starts
 * at once and the database confirms the cached copy while it runs (one index lookup, usually done
 * long before the first token); the reply's events are held until then. A stale copy (another
 * replica added a turn or a checkpoint) abandons that call — nothing of it is delivered or saved —
 * and the reply starts again from the database; a conversation deleted meanwhile is a 404. A quota
 * that needs reading from the database, or a 429, never gets that far: no model call is made.
 */
public final class ReplyService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ReplyService.class.getName());
    private static final Executor SIDE_READS = Executors.newVirtualThreadPerTaskExecutor();

    private final ConversationRepository conversations;
    private final UsageRepository usage;
    private final Quotas quotas;
    private final ConversationMemory memory;
    private final ModelCatalog models;
    private final TurnStore store;
    private final AssistantSettings settings;
    private final ConversationCache cache;
    private final Set<Generation> running = ConcurrentHashMap.newKeySet();
    private final Timer firstTokenTimer;
    private final Timer replyTimer;

    public ReplyService(DataSource dataSource, ConversationRepository conversations, ConversationCache cache, UsageRepository usage,
                        Quotas quotas, ConversationMemory memory, ModelCatalog models, AssistantSettings settings) {
        this.conversations = conversations;
        this.cache = cache;
        this.usage = usage;
        this.quotas = quotas;
        this.memory = memory;
        this.models = models;
        this.settings = settings;
        this.store = new TurnStore(dataSource);
        this.firstTokenTimer = Histograms.timer("assistant.reply.first_token.seconds",
                                                "Time from a message to the reply's first token", Histograms.SLOW);
        this.replyTimer = Histograms.timer("assistant.reply.duration.seconds", "Time from a message to the saved reply",
                                           Histograms.SLOW);
    }

    /** Validates the message; 400 naming {@code field} when it is empty or too long. */
    public String validContent(String field, String content) {
        if (content == null || content.isBlank()) {
            throw ProblemException.validation(List.of(new Problem.FieldError(field, "is required")));
        }
        if (content.length() > settings.maxMessageChars()) {
            throw ProblemException.validation(List.of(new Problem.FieldError(
                    field, "must be at most " + settings.maxMessageChars() + " characters")));
        }
        return content;
    }

    /**
     * Starts a reply to {@code content} in the caller's conversation. Throws (400, 404, 429) before
     * anything is answered; afterwards every outcome reaches {@code listener} and the result.
     */
    public Generation start(Caller caller, UUID conversationId, String content, ReplyListener listener) {
        validContent("content", content);
        Optional<ConversationRepository.WithMessages> cached = cache.get(caller.id(), conversationId);
        if (cached.isPresent() && quotas.fresh(caller.id())) {
            quotas.check(caller.id()); // from memory: a 429 here has called nothing
            ConversationRepository.WithMessages copy = cached.get();
            ConversationMemory.Snapshot snapshot = memory.snapshot(copy.conversation(), copy.unsummarized(), content);
            if (!memory.needsCheckpoint(snapshot, content)) {
                Generation generation = launch(copy, snapshot, content, listener, true);
                Optional<ConversationRepository.Version> current;
                try {
                    current = conversations.version(caller.id(), conversationId);
                } catch (RuntimeException e) {
                    generation.abandon();
                    throw e;
                }
                if (current.isPresent() && current.get().equals(copy.version())) {
                    generation.confirm();
                    return generation;
                }
                generation.abandon();
                cache.invalidate(conversationId);
                if (current.isEmpty()) {
                    throw ProblemException.notFound("No conversation " + conversationId + ".");
                }
                // stale: another replica changed the conversation; start again from the database
            }
        }
        // The quota is read on another virtual thread while the conversation is: one round trip less.
        CompletableFuture<Void> quota = quotas.fresh(caller.id())
                ? CompletableFuture.runAsync(() -> quotas.check(caller.id()), Runnable::run)
                : CompletableFuture.runAsync(() -> quotas.check(caller.id()), SIDE_READS);
        ConversationRepository.WithMessages found = conversations.findWithUnsummarized(caller.id(), conversationId)
                .orElseThrow(() -> ProblemException.notFound("No conversation " + conversationId + "."));
        ConversationMemory.Snapshot snapshot = memory.snapshot(found.conversation(), found.unsummarized(), content);
        try {
            quota.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
        cache.put(found);
        return launch(found, snapshot, content, listener, false);
    }

    private Generation launch(ConversationRepository.WithMessages base, ConversationMemory.Snapshot snapshot, String content,
                              ReplyListener listener, boolean held) {
        Generation generation = new Generation(base.conversation(), content, listener, held);
        running.add(generation);
        Thread.ofVirtual().name("assistant-reply-" + base.conversation().id()).start(() -> {
            try {
                generate(generation, base, snapshot);
            } finally {
                running.remove(generation);
            }
        });
        return generation;
    }

    /** A conversation was deleted: this replica forgets its copy. */
    public void deleted(UUID conversationId) {
        cache.invalidate(conversationId);
    }

    /** Running generations of the caller's conversation (this replica only). */
    public List<Generation> running(String userId, UUID conversationId) {
        return running.stream().filter(g -> g.userId().equals(userId) && g.conversationId().equals(conversationId)).toList();
    }

    private void generate(Generation g, ConversationRepository.WithMessages base, ConversationMemory.Snapshot snapshot) {
        Conversation c = g.conversation();
        long started = System.nanoTime();
        long[] firstToken = {0};
        String model = c.model();
        ModelRequest request = null;
        try {
            if (memory.needsCheckpoint(snapshot, g.userContent())) {
                cache.invalidate(c.id()); // the checkpoint changes what the cache would have to hold
                snapshot = memory.checkpoint(snapshot, g.userContent(), g.cancellation());
            }
            ContextWindow window = memory.window(snapshot, g.userContent());
            request = new ModelRequest(model, window.messages(), ModelRequest.Purpose.REPLY);
            ModelResult result = models.forModel(model).stream(request, piece -> {
                if (firstToken[0] == 0) {
                    firstToken[0] = System.nanoTime();
                    firstTokenTimer.record(firstToken[0] - started, TimeUnit.NANOSECONDS);
                }
                g.delta(piece);
            }, g.cancellation());
            if (!g.awaitConfirmation()) {
                count(model, "abandoned");
                g.failed(ProblemException.notFound("Abandoned.")); // reaches no listener: only completes the result
                return;
            }
            TokenUsage tokens = result.reportedUsage() != null
                    ? result.reportedUsage()
                    : new TokenUsage(TokenEstimator.messages(request.messages()), TokenEstimator.text(result.text()), true);
            String status = result.cancelled() ? "cancelled" : "length".equals(result.finishReason()) ? "truncated" : "complete";
            int latency = millis(System.nanoTime() - started);
            Integer ttft = firstToken[0] == 0 ? null : millis(firstToken[0] - started);
            TurnResult turn = new TurnResult(c.id(), g.userMessageId(), g.messageId(), "assistant", result.text(), status,
                                             model, tokens, latency, ttft, Instant.now());
            UsageRecord record = new UsageRecord(c.userId(), c.id(), g.messageId(), model, "reply",
                                                 result.cancelled() ? "cancelled" : "ok", tokens.inputTokens(),
                                                 tokens.outputTokens(), tokens.estimated(), latency, ttft);
            List<StoredMessage> saved = store.save(turn, g.userContent(), record);
            quotas.billed(c.userId(), tokens.total());
            replyTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            count(model, record.outcome());
            if (saved.isEmpty()) {
                cache.invalidate(c.id());
                g.failed(ProblemException.notFound("Conversation " + c.id() + " was deleted while the reply was generated."));
                return;
            }
            cache.appended(base, saved);
            g.done(turn);
        } catch (ModelException e) {
            if (!g.awaitConfirmation()) {
                count(model, "abandoned");
                g.failed(e.toProblem());
                return;
            }
            count(model, e.outcome());
            recordFailure(c, model, e.outcome(), started, firstToken[0]);
            g.failed(e.toProblem());
        } catch (ProblemException e) {
            g.failed(e);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Generating a reply in conversation " + c.id() + " failed", e);
            count(model, "error");
            g.failed(new ProblemException(Status.INTERNAL_SERVER_ERROR_500, "internal", "Internal server error",
                                          "The reply could not be generated or saved; nothing of this turn was kept."));
        }
    }

    private void recordFailure(Conversation c, String model, String outcome, long started, long firstToken) {
        try {
            usage.record(new UsageRecord(c.userId(), c.id(), null, model, "reply", outcome, 0, 0, false,
                                         millis(System.nanoTime() - started),
                                         firstToken == 0 ? null : millis(firstToken - started)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Recording a failed call's usage failed: " + e.getMessage());
        }
    }

    private static void count(String model, String outcome) {
        Metrics.globalRegistry().getOrCreate(Counter.builder("assistant.model.calls")
                                                     .tags(List.of(Tag.create("model", model), Tag.create("outcome", outcome)))
                                                     .description("Model calls for replies by outcome"))
                .increment();
    }

    private static int millis(long nanos) {
        return (int) (nanos / 1_000_000);
    }

    /** Cancels running replies (their partial text is saved) and waits a little for them to finish saving. */
    @Override
    public void close() {
        running.forEach(Generation::cancel);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
