package plaza.recommend;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.config.Config;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import plaza.catalog.CatalogService;
import plaza.events.EventsService;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.recipe.RecipeService;
import plaza.recommend.sources.ServiceToken;
import plaza.testing.EmbeddedDatabases;
import plaza.testing.JsonApi;
import plaza.testing.TestTokens;

/**
 * Real catalog (demo products, MariaDB), recipe (demo recipes, MariaDB) and events (PostgreSQL) on one server,
 * and two recommend replicas on one PostgreSQL database, each on its own server as deployed. Started once per
 * test JVM; the recommend tests share it, each with shoppers of its own.
 */
final class Plaza {

    static final TestTokens TOKENS = TestTokens.create();
    static final String ADMIN = TOKENS.token("root", "admin");
    private static Plaza instance;

    final WebServer catalog;
    final WebServer services;
    final Config recommendConfig;
    final RecommendService replicaA;
    final RecommendService replicaB;
    final WebServer serverA;
    final WebServer serverB;
    final JsonApi platform;
    final JsonApi a;
    final JsonApi b;
    final long onAirProduct;

    private Plaza() {
        Config catalogConfig = PlazaConfig.override(EmbeddedDatabases.config(Database.Vendor.MARIADB, "catalog", Config.empty()),
                                                    Map.of("plaza.access-log.enabled", "false", "catalog.demo-data", "true"));
        WebServerConfig.Builder c = WebServer.builder();
        PlazaServer.configure(c, catalogConfig, List.of(CatalogService.create(catalogConfig, Database.open(catalogConfig.get("db"), "catalog"),
                                                                              TOKENS.verifier())));
        catalog = c.port(0).build().start();
        String catalogUrl = "http://localhost:" + catalog.port();

        Config recipeConfig = PlazaConfig.override(EmbeddedDatabases.config(Database.Vendor.MARIADB, "recipe", Config.empty()),
                                                   Map.of("plaza.access-log.enabled", "false", "recipe.demo-data", "true",
                                                          "recipe.catalog-url", catalogUrl, "recipe.catalog-timeout", "PT5S"));
        Config eventsConfig = EmbeddedDatabases.config(Database.Vendor.POSTGRESQL, "events",
                                                       PlazaConfig.override(Config.empty(), Map.of("plaza.access-log.enabled", "false")));
        WebServerConfig.Builder s = WebServer.builder();
        PlazaServer.configure(s, recipeConfig, List.of(
                RecipeService.create(recipeConfig, Database.open(recipeConfig.get("db"), "recipe"), TOKENS.verifier()),
                EventsService.create(eventsConfig, Database.open(eventsConfig.get("db"), "events"), TOKENS.verifier())));
        services = s.port(0).build().start();
        platform = api(services.port());
        JsonApi catalogApi = api(catalog.port());

        // Something on air now, for the cold start.
        onAirProduct = 62;
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(9));
        check(catalogApi.send(Method.POST, "/home-shopping/broadcasts", ADMIN, "application/json", """
                {"channel":"kok-live","channelName":"콕 라이브","title":"김치 특집","startsAt":"%s","endsAt":"%s","productIds":[62, 300]}"""
                .formatted(now.minusHours(1), now.plusHours(3))), 201);

        recommendConfig = config(catalogUrl);
        replicaA = service(recommendConfig);
        replicaB = service(recommendConfig);
        serverA = server(recommendConfig, replicaA);
        serverB = server(recommendConfig, replicaB);
        a = api(serverA.port());
        b = api(serverB.port());
        replicaA.rebuild();
        replicaB.reloadModel();
    }

    static synchronized Plaza get() {
        if (instance == null) {
            instance = new Plaza();
        }
        return instance;
    }

    /** recommend's config on the shared recommend database, reading catalog at {@code catalogUrl}. */
    Config config(String catalogUrl) {
        return config(catalogUrl, recommendConfig == null ? null : recommendConfig.get("db"));
    }

    private Config config(String catalogUrl, Config db) {
        Map<String, String> values = new HashMap<>();
        values.put("plaza.access-log.enabled", "false");
        values.put("recommend.catalog-url", catalogUrl);
        values.put("recommend.recipe-url", "http://localhost:" + services.port());
        values.put("recommend.events-url", "http://localhost:" + services.port());
        values.put("recommend.feed-poll", "PT0.2S");
        values.put("recommend.model-poll", "PT0.5S");
        values.put("recommend.rebuild-on-start", "false");
        values.put("recommend.call-timeout", "PT5S");
        if (db != null) {
            values.put("db.url", db.get("url").asString().get());
            values.put("db.username", db.get("username").asString().get());
            values.put("db.password", db.get("password").asString().orElse(""));
            return PlazaConfig.override(Config.empty(), values);
        }
        return EmbeddedDatabases.config(Database.Vendor.POSTGRESQL, "recommend", PlazaConfig.override(Config.empty(), values));
    }

    static RecommendService service(Config config) {
        return RecommendService.create(config, Database.open(config.get("db"), "recommend"), TOKENS.verifier(),
                                       ServiceToken.fixed(TOKENS.token("recommend", "service")));
    }

    static WebServer server(Config config, RecommendService service) {
        WebServerConfig.Builder builder = WebServer.builder();
        PlazaServer.configure(builder, config, List.of(service));
        return builder.port(0).build().start();
    }

    static JsonApi api(int port) {
        return new JsonApi(Http1Client.builder().baseUri("http://localhost:" + port).build());
    }

    static JsonApi.Response check(JsonApi.Response r, int status) {
        if (r.status() != status) {
            throw new AssertionError("expected " + status + ", got " + r.status() + ": " + r.text());
        }
        return r;
    }

    /** Sends one track event as {@code user}; answers once events has committed it. */
    void track(String user, String event, String properties) {
        check(platform.send(Method.POST, "/events/track", TOKENS.token(user), "application/json",
                            "{\"event\":\"" + event + "\",\"properties\":" + properties + "}"), 200);
    }

    /** Sets a product's stock through catalog's admin API. */
    void setStock(long productId, int stock) {
        JsonApi catalogApi = api(catalog.port());
        JsonNode product = check(catalogApi.get("/kok/products/" + productId), 200).body();
        ObjectNode body = product.deepCopy();
        body.remove("discountRate");
        body.put("stock", stock);
        check(catalogApi.send(Method.PUT, "/kok/products/" + productId, ADMIN, "application/json", body.toString()), 200);
    }

    static List<Long> ids(JsonNode answer, String type) {
        List<Long> ids = new ArrayList<>();
        answer.path("items").forEach(i -> {
            if (type == null || type.equals(i.path("type").asText())) {
                ids.add(i.path("id").asLong());
            }
        });
        return ids;
    }

    /** Polls until {@code condition} holds or {@code millis} pass; whether it held. */
    static boolean within(long millis, BooleanSupplier condition) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
