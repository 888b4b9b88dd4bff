package plaza.assistant;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import plaza.assistant.model.LocalModel;
import plaza.assistant.model.ModelCatalog;
import plaza.assistant.model.OpenAiCompatibleModel;

/**
 * Everything the assistant reads from {@code assistant.*}, with the defaults in code (docs/assistant.md
 * lists every key and its environment variable).
 */
public record AssistantSettings(String defaultSystemPrompt,
                                int maxMessageChars,
                                Memory memory,
                                Quota quota,
                                Duration localTokenDelay) {

    /**
     * {@code assistant.memory.*}: the context window, when to fold old turns into the summary, and
     * how many (estimated) tokens of recently answered conversations this replica keeps in memory
     * so a reply can call the model before the database answers (0: read the database first, always).
     */
    public record Memory(double summaryTrigger, double summaryTarget, int reserveTokens, int maxSummaryTokens, long cacheTokens) {
    }

    /** {@code assistant.quota.*}: default per-user budgets in tokens (0 = unlimited). */
    public record Quota(long dailyTokens, long monthlyTokens) {
    }

    public static AssistantSettings from(Config assistant) {
        Config memory = assistant.get("memory");
        Config quota = assistant.get("quota");
        return new AssistantSettings(
                dashed(assistant, "default-system-prompt")
                        .orElse("You are Plaza's assistant. Answer helpfully, concisely and truthfully."),
                dashed(assistant, "max-message-chars").map(Integer::parseInt).orElse(32_000),
                new Memory(dashed(memory, "summary-trigger").map(Double::parseDouble).orElse(0.8),
                           dashed(memory, "summary-target").map(Double::parseDouble).orElse(0.4),
                           dashed(memory, "reserve-tokens").map(Integer::parseInt).orElse(1024),
                           dashed(memory, "max-summary-tokens").map(Integer::parseInt).orElse(1024),
                           dashed(memory, "cache-tokens").map(Long::parseLong).orElse(4_000_000L)),
                new Quota(dashed(quota, "daily-tokens").map(Long::parseLong).orElse(200_000L),
                          dashed(quota, "monthly-tokens").map(Long::parseLong).orElse(2_000_000L)),
                durationOf(assistant.get("local"), "token-delay", Duration.ofMillis(15)));
    }

    /**
     * The models: plaza-local, and with {@code assistant.provider.base-url} set the provider's
     * {@code model} as the default plus any {@code assistant.models[*].name}.
     */
    public static ModelCatalog catalog(Config assistant, Duration localTokenDelay) {
        Config provider = assistant.get("provider");
        Optional<String> baseUrl = dashed(provider, "base-url");
        int defaultContext = dashed(assistant.get("memory"), "default-context-tokens").map(Integer::parseInt).orElse(8192);
        Map<String, ModelCatalog.ModelInfo> models = new LinkedHashMap<>();
        OpenAiCompatibleModel remote = null;
        String defaultModel = LocalModel.NAME;
        Map<String, Integer> contexts = new LinkedHashMap<>();
        for (Config model : assistant.get("models").asNodeList().orElse(java.util.List.of())) {
            model.get("name").asString().ifPresent(name -> contexts.put(name, dashed(model, "context-tokens")
                    .map(Integer::parseInt).orElse(defaultContext)));
        }
        if (baseUrl.isPresent()) {
            remote = new OpenAiCompatibleModel(new OpenAiCompatibleModel.Settings(
                    URI.create(baseUrl.get().trim()),
                    dashed(provider, "api-key").orElse(null),
                    durationOf(provider, "connect-timeout", Duration.ofSeconds(5)),
                    durationOf(provider, "response-timeout", Duration.ofSeconds(60)),
                    durationOf(provider, "stall-timeout", Duration.ofSeconds(30)),
                    dashed(provider, "max-retries").map(Integer::parseInt).orElse(2),
                    durationOf(provider, "retry-backoff", Duration.ofMillis(250)),
                    durationOf(provider, "max-retry-wait", Duration.ofSeconds(10)),
                    dashed(provider, "stream-usage").map(Boolean::parseBoolean).orElse(true),
                    dashed(provider, "max-output-tokens").map(Integer::parseInt).orElse(0)));
            defaultModel = provider.get("model").asString().orElse("gpt-4o-mini");
            models.put(defaultModel, new ModelCatalog.ModelInfo(defaultModel, "openai-compatible",
                                                                contexts.getOrDefault(defaultModel, defaultContext), true));
            for (var e : contexts.entrySet()) {
                if (!e.getKey().equals(LocalModel.NAME)) {
                    models.putIfAbsent(e.getKey(), new ModelCatalog.ModelInfo(e.getKey(), "openai-compatible", e.getValue(), false));
                }
            }
        }
        int localContext = dashed(assistant.get("local"), "context-tokens").map(Integer::parseInt)
                .orElse(contexts.getOrDefault(LocalModel.NAME, 4096));
        models.put(LocalModel.NAME, new ModelCatalog.ModelInfo(LocalModel.NAME, "local", localContext, remote == null));
        return new ModelCatalog(defaultModel, models, new LocalModel(localTokenDelay), remote);
    }

    /** A non-blank value ({@code ASSISTANT_PROVIDER_BASE_URL} reaches {@code provider.base-url} through PlazaConfig). */
    static Optional<String> dashed(Config node, String key) {
        return node.get(key).asString().asOptional().filter(s -> !s.isBlank());
    }

    static Duration durationOf(Config node, String key, Duration fallback) {
        return dashed(node, key).map(Duration::parse).orElse(fallback);
    }
}
