package plaza.catalog;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.testing.EmbeddedDatabases;
import plaza.testing.JsonApi;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/**
 * Two catalog replicas on one MariaDB, as the chart runs them: {@code here} polls every 200 ms, {@code there}
 * practically never (PT1H), so anything {@code there} shows at once came from its own write path, and anything
 * {@code here} shows came through the {@code product_revision} poll.
 */
class SearchReplicasTest {

    private static final TestTokens TOKENS = TestTokens.create();
    private static final String ADMIN = TOKENS.token("admin-1", "admin");
    private static final Duration DEADLINE = Duration.ofSeconds(15); // generous: the interval is 200 ms

    private static Database hereDb;
    private static Database thereDb;
    private static WebServer hereServer;
    private static WebServer thereServer;
    private static CatalogService hereService;
    private static JsonApi here;
    private static JsonApi there;

    @BeforeAll
    static void start() throws Exception {
        Config base = PlazaConfig.override(EmbeddedDatabases.config(Database.Vendor.MARIADB, "catalog", Config.empty()),
                                           Map.of("server.port", "0", "plaza.access-log.enabled", "false"));
        hereDb = Database.open(base.get("db"), "catalog");
        thereDb = Database.open(base.get("db"), "catalog");
        hereService = CatalogService.create(PlazaConfig.override(base, Map.of("catalog.search.refresh-interval", "PT0.2S")),
                                            hereDb, TOKENS.verifier(), Clock.systemUTC());
        CatalogService thereService = CatalogService.create(PlazaConfig.override(base, Map.of("catalog.search.refresh-interval", "PT1H")),
                                                            thereDb, TOKENS.verifier(), Clock.systemUTC());
        assertThat(hereService.productSearch().awaitLoaded(DEADLINE), is(true));
        assertThat(thereService.productSearch().awaitLoaded(DEADLINE), is(true));
        hereServer = server(base, hereService);
        thereServer = server(base, thereService);
        here = client(hereServer);
        there = client(thereServer);
    }

    private static WebServer server(Config config, CatalogService service) {
        WebServerConfig.Builder builder = WebServer.builder();
        PlazaServer.configure(builder, config, List.of(service));
        return builder.build().start();
    }

    private static JsonApi client(WebServer server) {
        return new JsonApi(Http1Client.builder().baseUri(URI.create("http://localhost:" + server.port())).build());
    }

    @AfterAll
    static void stop() {
        hereServer.stop();
        thereServer.stop();
        hereService.close();
        thereDb.close();
    }

    private static long create(String json) {
        JsonApi.Response r = there.send(Method.POST, "/kok/products", ADMIN, "application/json", json);
        assertThat(r.text(), r.status(), is(201));
        return r.body().get("id").asLong();
    }

    /** Waits until {@code check} holds (the poll has run), failing after {@link #DEADLINE}. */
    private static void eventually(String what, Supplier<Boolean> check) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!check.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + DEADLINE);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aWriteOnAnotherReplicaIsSearchableHereAfterTheRefreshInterval() throws Exception {
        long id = create("""
                {"name":"레플리카 감자 1kg","category":"채소","price":3000,"stock":5,"keywords":["감자"]}""");
        // the writing replica's own index has it at once (its poll is an hour away)
        assertThat(there.get("/kok/products", "q", "레플리카").ids("items"), contains(id));
        eventually("the other replica seeing the new product",
                   () -> here.get("/kok/products", "q", "레플리카").ids("items").equals(List.of(id)));
        assertThat(here.get("/kok/products", "q", "레플리카 감자", "category", "채소").body().get("total").asInt(), is(1));
        // byKeywords (recipe → products) reads the same index
        JsonNode byKeyword = here.get("/kok/products/by-keywords", "keyword", "레플리카").body().get("results").get(0);
        assertThat(byKeyword.get("products").get(0).get("id").asLong(), is(id));
    }

    @Test
    void anUpdateAndADeleteOnAnotherReplicaReachThisOne() throws Exception {
        long id = create("""
                {"name":"갱신전 두부","category":"두부/콩","price":2000,"stock":5}""");
        eventually("the product arriving", () -> here.get("/kok/products", "q", "갱신전").body().get("total").asInt() == 1);

        JsonApi.Response updated = there.send(Method.PUT, "/kok/products/" + id, ADMIN, "application/json", """
                {"name":"갱신후 두부","category":"두부/콩","price":1500,"stock":5}""");
        assertThat(updated.status(), is(200));
        eventually("the rename arriving", () -> here.get("/kok/products", "q", "갱신후").ids("items").equals(List.of(id)));
        assertThat(here.get("/kok/products", "q", "갱신전").body().get("total").asInt(), is(0));
        assertThat(here.get("/kok/products", "q", "갱신후").body().get("items").get(0).get("salePrice").asInt(), is(1500));

        assertThat(there.send(Method.DELETE, "/kok/products/" + id, ADMIN, null, null).status(), is(204));
        assertThat(there.get("/kok/products", "q", "갱신후").body().get("total").asInt(), is(0)); // at once there
        eventually("the delete arriving", () -> here.get("/kok/products", "q", "갱신후").body().get("total").asInt() == 0);
        assertThat(here.get("/kok/products/" + id).status(), is(404));
    }

    @Test
    void anImportOnAnotherReplicaReachesThisOne() throws Exception {
        JsonApi.Response report = there.send(Method.POST, "/kok/products/import", ADMIN, "application/x-ndjson", """
                {"id":7001,"name":"임포트레플 마늘 500g","category":"채소","price":4000,"stock":3}
                {"id":7002,"name":"임포트레플 양파 3kg","category":"채소","price":-1}
                """);
        assertThat(report.body().get("imported").asInt(), is(1));
        assertThat(there.get("/kok/products", "q", "임포트레플").ids("items"), contains(7001L));
        eventually("the imported row arriving", () -> here.get("/kok/products", "q", "임포트레플").ids("items").equals(List.of(7001L)));
    }

    @Test
    void readinessNamesTheIndexAndItsRevision() throws Exception {
        JsonApi.Response ready = here.get("/observe/health/ready");
        assertThat(ready.status(), is(200));
        JsonNode check = null;
        for (JsonNode c : ready.body().get("checks")) {
            if (c.get("name").asText().equals("catalog-search")) {
                check = c;
            }
        }
        assertThat(ready.text(), check != null, is(true));
        assertThat(check.get("status").asText(), is("UP"));
        assertThat(check.get("data").has("revision"), is(true));
        String metrics;
        try (var response = Http1Client.builder().baseUri(URI.create("http://localhost:" + hereServer.port())).build()
                .get("/observe/metrics").header(io.helidon.http.HeaderNames.ACCEPT, "text/plain").request()) {
            metrics = response.as(String.class);
        }
        assertThat(metrics, metrics.contains("catalog_search_index_products"), is(true));
        assertThat(metrics, metrics.contains("catalog_search_index_rebuild_seconds"), is(true));
    }
}
