package plaza.catalog;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import plaza.events.EventsService;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.events.EventPublisher;
import plaza.testing.EmbeddedDatabases;
import plaza.testing.JsonApi;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * catalog's EventPublisher against a real events service (PostgreSQL): wishlist changes, product views
 * and searches of a signed-in shopper arrive as that shopper's events, an anonymous visitor's view under
 * their anonymous id; with events stopped, every request still answers at once and what no longer fits
 * the buffer is dropped and counted.
 */
@ServerTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventPublisherTest {

    static final TestTokens TOKENS = TestTokens.create();
    static EventsService eventsService;
    static WebServer events;
    static EventPublisher publisher;
    final JsonApi api;
    final Http1Client client;

    EventPublisherTest(Http1Client client) {
        this.client = client;
        this.api = new JsonApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config eventsConfig = EmbeddedDatabases.config(Database.Vendor.POSTGRESQL, "events",
                                                       PlazaConfig.override(Config.empty(), Map.of("plaza.access-log.enabled", "false")));
        eventsService = EventsService.create(eventsConfig, Database.open(eventsConfig.get("db"), "events"), TOKENS.verifier());
        WebServerConfig.Builder eventsServer = WebServer.builder();
        PlazaServer.configure(eventsServer, eventsConfig, List.of(eventsService));
        events = eventsServer.port(0).build().start();
        publisher = TestCatalog.configure(server, TOKENS, Clock.systemUTC(), """
                {"id":1,"name":"국산 대파 1단","category":"채소","price":3500,"stock":10}
                {"id":2,"name":"유기농 두부 300g","category":"두부/콩","price":2500,"stock":10}
                """, Map.of("plaza.events.url", "http://localhost:" + events.port(),
                            "plaza.events.token", TOKENS.token("catalog", "service"),
                            "plaza.events.flush-interval", "PT0.05S",
                            "plaza.events.buffer", "5")).service().eventPublisher();
    }

    @AfterAll
    static void close() {
        events.stop();
        eventsService.close();
    }

    @Test
    @Order(1)
    void aShoppersWishlistViewsAndSearchesReachEvents() throws Exception {
        String ann = TOKENS.token("ann");
        assertThat(api.send(Method.PUT, "/kok/wishlist/1", ann, null, null).status(), is(204));
        assertThat(api.getAs(ann, "/kok/products/2").status(), is(200));
        assertThat(api.getAs(ann, "/kok/products", "q", "두부").status(), is(200));
        assertThat(api.send(Method.DELETE, "/kok/wishlist/1", ann, null, null).status(), is(204));
        try (var anonymous = client.get("/kok/products/1").header(HeaderNames.create("X-Anonymous-Id"), "visitor-7").request()) {
            assertThat(anonymous.status().code(), is(200));
        }

        Http1Client eventsClient = Http1Client.builder().baseUri("http://localhost:" + events.port()).build();
        JsonApi eventsApi = new JsonApi(eventsClient);
        await(() -> eventsApi.getAs(ann, "/events/me").body().path("items").size() == 4);
        JsonNode items = eventsApi.getAs(ann, "/events/me").body().path("items");
        assertThat(names(items), containsInAnyOrder("Product Added to Wishlist", "Product Viewed", "Products Searched",
                                                    "Product Removed from Wishlist"));
        for (JsonNode item : items) {
            assertThat(item.path("userId").asText(), is("ann"));
            if (item.path("event").asText().equals("Products Searched")) {
                assertThat(item.path("properties").path("query").asText(), is("두부"));
                assertThat(item.path("properties").path("results").asInt(), is(1));
            }
            if (item.path("event").asText().equals("Product Viewed")) {
                assertThat(item.path("properties").path("productId").asInt(), is(2));
            }
        }
        await(() -> publisher.delivered() == 5); // the visitor's view too
        assertThat(publisher.dropped(), is(0L));
    }

    @Test
    @Order(2)
    void withEventsDownRequestsStillAnswerAndWhatDoesNotFitIsDroppedAndCounted() throws Exception {
        long delivered = publisher.delivered();
        events.stop();
        String bob = TOKENS.token("bob");
        for (int i = 0; i < 30; i++) {
            assertThat(api.send(Method.PUT, "/kok/wishlist/" + (1 + i % 2), bob, null, null).status(), is(204));
            assertThat(api.getAs(bob, "/kok/products/" + (1 + i % 2)).status(), is(200));
        }
        // 60 events: at most 5 wait in the buffer and one batch (at most 5) in the sender's hands
        await(() -> publisher.dropped() >= 50);
        assertThat(publisher.dropped(), greaterThanOrEqualTo(50L));
        assertThat(publisher.delivered(), is(delivered));
    }

    static List<String> names(JsonNode items) {
        List<String> names = new java.util.ArrayList<>();
        items.forEach(i -> names.add(i.path("event").asText()));
        return names;
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s");
            }
            Thread.sleep(50);
        }
    }
}
