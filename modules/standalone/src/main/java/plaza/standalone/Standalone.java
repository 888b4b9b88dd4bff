package plaza.standalone;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import plaza.platform.PlazaServer;
import plaza.platform.PlazaService;
import plaza.platform.db.Database;
import plaza.platform.security.TokenVerifier;
import plaza.catalog.CatalogService;
import plaza.recipe.RecipeService;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

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
            services(config, databases, services);
            WebServer server = PlazaServer.start(config, services);
            return new Standalone(databases, services, server);
        } catch (RuntimeException e) {
            services.forEach(PlazaService::close);
            databases.close();
            throw e;
        }
    }

    /** Every service, one line each. */
    private static void services(Config config, Databases databases, List<PlazaService> services) {
        // Replaced by auth's in-process key set once auth is mounted; until then plaza.jwt.* if configured.
        TokenVerifier tokens = externalTokenVerifier(config);
        services.add(CatalogService.create(config, databases.open(Database.Vendor.MARIADB, "catalog"), tokens));
        services.add(RecipeService.create(config, databases.open(Database.Vendor.MARIADB, "recipe"), tokens));
        services.add(plaza.assistant.AssistantService.create(config, databases.open(Database.Vendor.POSTGRESQL, "assistant"), tokens));
        services.add(plaza.chat.ChatService.create(config, databases.open(Database.Vendor.POSTGRESQL, "chat"), tokens));
    }

    /** A verifier for {@code plaza.jwt.*}, or one that refuses every token when nothing is configured. */
    static TokenVerifier externalTokenVerifier(Config config) {
        Config jwt = config.get("plaza.jwt");
        if (jwt.get("jwks-uri").exists() || jwt.get("jwks-file").exists()) {
            return TokenVerifier.fromConfig(jwt);
        }
        return TokenVerifier.create(new ImmutableJWKSet<>(new JWKSet()), "plaza", "plaza");
    }

    public int port() {
        return server.port();
    }

    public List<PlazaService> services() {
        return services;
    }

    Databases databases() {
        return databases;
    }

    /** Stops the server, then the services, then the databases. */
    @Override
    public void close() {
        server.stop();
        services.forEach(PlazaService::close);
        databases.close();
    }
}
