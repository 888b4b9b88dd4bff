package plaza.catalog;

import plaza.testing.JsonApi;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.testing.EmbeddedDatabases;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/** {@code catalog.demo-data: true} loads every shipped row through the import, with the broadcasts moved to this week. */
@ServerTest
class DemoDataTest {

    /** A Wednesday, 10:00 in Seoul: every demo channel is on air 06:00–02:00. */
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-05-20T01:00:00Z"));
    private final JsonApi api;

    DemoDataTest(Http1Client client) {
        this.api = new JsonApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = PlazaConfig.override(EmbeddedDatabases.config(Database.Vendor.MARIADB, "catalog", Config.empty()),
                                             Map.of("server.port", "0", "catalog.demo-data", "true", "plaza.access-log.enabled", "false"));
        Database db = Database.open(config.get("db"), "catalog");
        PlazaServer.configure(server, config, List.of(CatalogService.create(config, db, TestTokens.create().verifier(), CLOCK)));
    }

    @Test
    void everyDemoRowIsLoaded() {
        assertThat(api.get("/kok/products").body().get("total").asInt(), is(600));
        assertThat(api.get("/kok/categories").body().get("categories").size(), greaterThanOrEqualTo(10));
        assertThat(api.get("/kok/products", "q", "김치").body().get("total").asInt(), greaterThan(10));
        assertThat(api.get("/home-shopping/channels").body().get("channels").size(), is(4));
    }

    @Test
    void broadcastsAreMovedToTheCurrentWeek() {
        assertThat(api.get("/home-shopping/live").body().get("broadcasts").size(), is(4));
        assertThat(api.get("/home-shopping/schedule").body().get("broadcasts").size(), greaterThan(40));
        assertThat(api.get("/home-shopping/schedule", "date", "2026-05-18").body().get("broadcasts").size(), greaterThan(40)); // Monday
        assertThat(api.get("/home-shopping/schedule", "date", "2026-05-26").body().get("broadcasts").size(), is(0)); // next week
    }
}
