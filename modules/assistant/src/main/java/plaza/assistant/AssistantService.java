package plaza.assistant;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import plaza.assistant.conversations.ConversationCache;
import plaza.assistant.conversations.ConversationRepository;
import plaza.assistant.conversations.ConversationResource;
import plaza.assistant.memory.ConversationMemory;
import plaza.assistant.model.ModelCatalog;
import plaza.assistant.prompts.PromptRepository;
import plaza.assistant.prompts.PromptResource;
import plaza.assistant.replies.ReplyService;
import plaza.assistant.usage.QuotaResource;
import plaza.assistant.usage.Quotas;
import plaza.assistant.usage.UsageRepository;
import plaza.assistant.usage.UsageResource;
import plaza.assistant.ws.AssistantSocket;
import plaza.assistant.ws.SocketRoute;
import plaza.platform.security.UpgradeGate;
import plaza.platform.PlazaService;
import plaza.platform.db.Database;
import plaza.platform.http.CorsPolicy;
import plaza.platform.http.Json;
import plaza.platform.openapi.AsyncApiDescriptions;
import plaza.platform.http.Problems;
import plaza.platform.security.TokenVerifier;

/**
 * The assistant: AI conversations with memory, prompt templates, usage and quotas, replies as
 * JSON, SSE or over the {@code /ai/ws} WebSocket, answered by an OpenAI-compatible provider or the
 * built-in {@code plaza-local} model. Everything lives under {@code /ai}.
 */
public final class AssistantService implements PlazaService {

    private final Database db;
    private final ModelCatalog models;
    private final ReplyService replies;
    private final ConversationResource conversationResource;
    private final PromptResource promptResource;
    private final UsageResource usageResource;
    private final QuotaResource quotaResource;
    private final SocketRoute socketRoute;
    private final UpgradeGate upgradeAuth;
    private final int maxInFlightPerSocket;
    private final TokenVerifier tokens;

    private AssistantService(Config root, Database db, TokenVerifier tokens) {
        Config assistant = root.get("assistant");
        AssistantSettings settings = AssistantSettings.from(assistant);
        this.db = db;
        this.tokens = tokens;
        this.models = AssistantSettings.catalog(assistant, settings.localTokenDelay());
        ConversationRepository conversations = new ConversationRepository(db.dataSource());
        PromptRepository prompts = new PromptRepository(db.dataSource());
        UsageRepository usage = new UsageRepository(db.dataSource());
        Quotas quotas = new Quotas(usage, settings.quota(), Clock.systemUTC(),
                                   AssistantSettings.durationOf(assistant.get("quota"), "refresh", java.time.Duration.ofSeconds(5)));
        ConversationMemory memory = new ConversationMemory(conversations, usage, models, settings.memory());
        ConversationCache cache = new ConversationCache(settings.memory().cacheTokens());
        this.replies = new ReplyService(db.dataSource(), conversations, cache, usage, quotas, memory, models, settings);
        this.conversationResource = new ConversationResource(conversations, prompts, replies, models, settings, tokens);
        this.promptResource = new PromptResource(prompts, tokens);
        this.usageResource = new UsageResource(usage, quotas, tokens);
        this.quotaResource = new QuotaResource(usage, quotas, tokens);
        this.upgradeAuth = new UpgradeGate(CorsPolicy.create(root.get("cors")), tokens);
        this.socketRoute = new SocketRoute(upgradeAuth);
        this.maxInFlightPerSocket = AssistantSettings.dashed(assistant.get("ws"), "max-in-flight").map(Integer::parseInt).orElse(4);
    }

    public static AssistantService create(Config root, Database db, TokenVerifier tokens) {
        return new AssistantService(root, db, tokens);
    }

    @Override
    public String name() {
        return "assistant";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/ai/conversations", conversationResource)
                .register("/ai/prompts", promptResource)
                .register("/ai/usage", usageResource)
                .register("/ai/quotas", quotaResource)
                .register("/ai/ws", socketRoute)
                .get("/ai/models", tokens.authenticated((req, res) -> Json.send(res, Map.of(
                        "default", models.defaultModel(), "items", models.all()))))
                .any("/ai/models", Problems.methodNotAllowed("GET"));
        AsyncApiDescriptions.serve(routing, "assistant"); // the /ai/ws protocol
    }

    @Override
    public void websockets(WsRouting.Builder ws) {
        ws.endpoint("/ai/ws", () -> new AssistantSocket(upgradeAuth, replies, maxInFlightPerSocket));
    }

    @Override
    public List<HealthCheck> healthChecks() {
        return List.of(db.readiness());
    }

    @Override
    public void close() {
        replies.close();
        models.close();
        db.close();
    }
}
