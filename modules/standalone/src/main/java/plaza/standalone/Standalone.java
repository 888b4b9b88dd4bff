package plaza.standalone;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import plaza.auth.AuthService;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import io.helidon.webserver.WebServer;
import plaza.platform.PlazaServer;
import plaza.platform.PlazaService;
import plaza.platform.db.Database;
import plaza.platform.security.TokenVerifier;
import plaza.assistant.AssistantService;
import plaza.catalog.CatalogService;
import plaza.chat.ChatService;
import plaza.events.EventsService;
import plaza.recipe.RecipeService;
import plaza.recommend.RecommendService;
import plaza.events.demo.DemoActivity;
import plaza.events.kafka.KafkaSettings;
import plaza.web.WebApp;

/**
 * All Plaza services in one process on one port, over embedded databases kept in a data directory
 * ({@code standalone.data-dir}, env {@code STANDALONE_DATA_DIR}, default {@code ./plaza-data}).
 */
public final class Standalone implements AutoCloseable {

    private final Databases databases;
    private final List<PlazaService> services;
    private final WebServer server;

    private Standalone(Databases databases, List<PlazaService> services, WebServer server) {
        this.databases = databases;
        this.services = services;
        this.server = server;
    }

    public static Standalone start(Config config) {
        Path dataDirectory = Path.of(config.get("standalone.data-dir").asString().orElse("plaza-data")).toAbsolutePath();
        Databases databases = new Databases(config, dataDirectory);
        List<PlazaService> services = new ArrayList<>();
        try {
            databases.awaitStarted();
            services(config, dataDirectory, databases, services);
            List<PlazaService> mounted = new ArrayList<>(services);
            mounted.add(new ApiDocsPage()); // /docs, over the merged /openapi
            WebServer server = PlazaServer.startUnmanaged(config, mounted); // close() stops it, in order
            return new Standalone(databases, services, server);
        } catch (RuntimeException e) {
            services.forEach(PlazaService::close);
            databases.close();
            throw e;
        }
    }

    /** Every service, one line each; auth first, since every other service verifies its tokens. */
    private static void services(Config config, Path dataDirectory, Databases databases, List<PlazaService> services) {
        config = withEventsCredential(recommendClient(config));
        AuthService auth = AuthService.create(authDefaults(config, dataDirectory), databases.open(Database.Vendor.MARIADB, "auth"));
        services.add(auth);
        TokenVerifier tokens = auth.tokenVerifier();
        services.add(ChatService.create(config, databases.open(Database.Vendor.POSTGRESQL, "chat"), tokens));
        services.add(AssistantService.create(config, databases.open(Database.Vendor.POSTGRESQL, "assistant"), tokens));
        services.add(CatalogService.create(config, databases.open(Database.Vendor.MARIADB, "catalog"), tokens));
        services.add(RecipeService.create(config, databases.open(Database.Vendor.MARIADB, "recipe"), tokens));
        Database events = databases.open(Database.Vendor.POSTGRESQL, "events");
        services.add(EventsService.create(config, events, tokens));
        if (config.get("events.demo-data").asBoolean().orElse(false)) {
            // through the outbox too when Kafka is configured: every stored event is published
            DemoActivity.loadIfEmpty(events.dataSource(), KafkaSettings.from(config.get("events.kafka")).isPresent());
        }
        services.add(RecommendService.create(config, databases.open(Database.Vendor.POSTGRESQL, "recommend"), tokens));
        services.add(WebApp.create()); // last: its / and /app/ routes come after every API route
    }

    /**
     * recommend reads events' feed as an OAuth client (client credentials, like any deployment). Unless
     * {@code recommend.client-secret} is set, standalone registers that client in auth's config itself with a
     * secret made up at each start, and gives recommend the same.
     */
    static Config recommendClient(Config config) {
        if (config.get("recommend.client-secret").asString().asOptional().filter(s -> !s.isBlank()).isPresent()) {
            return config;
        }
        String secret = madeUpSecret();
        String client = nextOAuthClient(config);
        Map<String, String> values = new HashMap<>();
        values.put(client + "id", config.get("recommend.client-id").asString().orElse("recommend"));
        values.put(client + "secret", secret);
        values.put(client + "name", "Plaza recommend (standalone)");
        values.put(client + "scopes", "events:read");
        values.put(client + "grant-types", "client_credentials");
        values.put("recommend.client-secret", secret);
        return PlazaConfig.override(config, values);
    }

    /**
     * catalog's and recipe's EventPublisher report to this process's events: unless {@code plaza.events.url} is
     * set, an OAuth client for them is added to auth's config with a secret made at each start, and the
     * publishers get its credentials (they fetch client-credentials tokens from {@code /auth/oauth/token}).
     */
    static Config withEventsCredential(Config config) {
        int port = config.get("server.port").asInt().orElse(8080);
        if (config.get("plaza.events.url").exists() || port == 0) {
            return config; // port 0 (tests): the port is known only after start, so the publishers stay off
        }
        String secret = madeUpSecret();
        String client = nextOAuthClient(config);
        Map<String, String> values = new HashMap<>();
        values.put(client + "id", "plaza-standalone-services");
        values.put(client + "name", "catalog and recipe reporting behaviour to events");
        values.put(client + "secret", secret);
        values.put(client + "grant-types", "client_credentials");
        values.put(client + "scopes", "events:write");
        values.put("plaza.events.url", "http://127.0.0.1:" + port);
        values.put("plaza.events.client-id", "plaza-standalone-services");
        values.put("plaza.events.client-secret", secret);
        return PlazaConfig.override(config, values);
    }

    private static String madeUpSecret() {
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.HexFormat.of().formatHex(random);
    }

    /** The config prefix of one more entry of {@code auth.oauth.clients}. */
    private static String nextOAuthClient(Config config) {
        return "auth.oauth.clients." + config.get("auth.oauth.clients").asNodeList().map(List::size).orElse(0) + ".";
    }

    /**
     * Standalone's auth: its signing key generated on first start and kept in {@code <data-dir>/auth-keys}, mail
     * links to the web app at {@code http://localhost:<port>/#/reset-password} and {@code /#/verify-email}, and, unless {@code auth.smtp.host} is set, the in-process dev
     * mailbox ({@code GET /auth/dev/outbox}).
     */
    static Config authDefaults(Config config, Path dataDirectory) {
        Map<String, String> defaults = new HashMap<>();
        if (!config.get("auth.key-directory").exists() && !config.get("auth.signing-key").exists()
            && !config.get("auth.signing-key-file").exists()) {
            defaults.put("auth.key-directory", dataDirectory.resolve("auth-keys").toString());
        }
        if (!config.get("auth.public-url").exists()) {
            defaults.put("auth.public-url", "http://localhost:" + config.get("server.port").asInt().orElse(8080));
        }
        // The mails' links open the web app's pages (served at / by standalone), which POST the token.
        if (!config.get("auth.mail.reset-url").exists()) {
            defaults.put("auth.mail.reset-url", "{public-url}/#/reset-password?token={token}");
        }
        if (!config.get("auth.mail.verify-url").exists()) {
            defaults.put("auth.mail.verify-url", "{public-url}/#/verify-email?token={token}");
        }
        if (!config.get("auth.dev-mail.enabled").exists()) {
            defaults.put("auth.dev-mail.enabled", "true");
        }
        return defaults.isEmpty() ? config : PlazaConfig.override(config, defaults);
    }

    public int port() {
        return server.port();
    }

    public List<PlazaService> services() {
        return services;
    }

    /** True when auth runs the in-process dev mailbox, i.e. {@code GET /auth/dev/outbox} answers (no SMTP host set). */
    public boolean devOutbox() {
        return services.stream().anyMatch(s -> s instanceof AuthService auth && auth.devMailbox().isPresent());
    }

    Databases databases() {
        return databases;
    }

    /**
     * Closes the services first (chat sends its WebSockets 1001 so clients reconnect; a stopped
     * server would cut them with 1006), then the server, then the databases.
     */
    @Override
    public void close() {
        services.forEach(PlazaService::close);
        server.stop();
        databases.close();
    }
}
