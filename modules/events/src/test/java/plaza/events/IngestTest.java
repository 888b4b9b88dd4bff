package plaza.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Segment's calls at /events and /events/v1, who may send what, clock-skew correction, and a batch
 * with bad events in it. Bad inputs tried: a userId naming someone else (403), a userId without a
 * token (401), no anonymousId without a token, a track without event, a type that contradicts the
 * path, a string where an event object belongs, a timestamp too old for a non-admin.
 */
@ServerTest
class IngestTest {

    static final TestTokens TOKENS = TestTokens.create();
    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    static final EventsApi.TestClock CLOCK = new EventsApi.TestClock(NOW);
    static EventsService service;
    static plaza.platform.db.Database probe;
    final EventsApi api;
    final String admin = TOKENS.token("root", "admin");

    IngestTest(Http1Client http) {
        this.api = new EventsApi(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = EventsApi.config(Map.of());
        service = EventsApi.service(config, TOKENS.verifier(), CLOCK);
        PlazaServer.configure(server, config, List.of(service));
        probe = plaza.platform.db.Database.open(config.get("db"), "events");
    }

    @AfterAll
    static void close() {
        probe.close();
        service.close();
    }

    @Test
    void everyCallIsStoredForTheTokensUserAtBothPrefixes() {
        String ann = TOKENS.token("ann");
        assertThat(api.post("/events/track", ann, EventsApi.track("ann-1", "Product Viewed", "\"properties\":{\"productId\":7}")).text(),
                   is("{\"success\":true}"));
        assertThat(api.post("/events/v1/page", ann, "{\"messageId\":\"ann-2\",\"name\":\"Home\",\"category\":\"Shop\"}").status(), is(200));
        assertThat(api.post("/events/v1/screen", ann, "{\"messageId\":\"ann-3\",\"name\":\"Cart\"}").status(), is(200));
        assertThat(api.post("/events/identify", ann, "{\"messageId\":\"ann-4\",\"traits\":{\"plan\":\"gold\"}}").status(), is(200));
        assertThat(api.post("/events/v1/alias", ann, "{\"messageId\":\"ann-5\",\"previousId\":\"old-ann\"}").status(), is(200));
        assertThat(api.post("/events/v1/track", ann, "{\"messageId\":\"ann-6\",\"userId\":\"ann\",\"event\":\"Searched\"}").status(), is(200));

        JsonNode items = api.get("/events/me", ann).json().path("items");
        assertThat(items.size(), is(6));
        JsonNode track = find(items, "ann-1");
        assertThat(track.path("type").asText(), is("track"));
        assertThat(track.path("event").asText(), is("Product Viewed"));
        assertThat(track.path("userId").asText(), is("ann"));
        assertThat(track.path("properties").path("productId").asInt(), is(7));
        assertThat(track.path("timestamp").asText(), is("2026-12-04T12:00:00Z"));
        assertThat(find(items, "ann-2").path("name").asText(), is("Home"));
        assertThat(find(items, "ann-2").path("category").asText(), is("Shop"));
        assertThat(find(items, "ann-4").path("traits").path("plan").asText(), is("gold"));
        assertThat(find(items, "ann-5").path("previousId").asText(), is("old-ann"));
        assertThat(api.get("/events/me?type=page", ann).json().path("items").size(), is(1));
        assertThat(api.get("/events/me?event=Searched", ann).json().path("items").size(), is(1));
        assertThat(api.get("/events/track", ann).status(), is(405));
    }

    @Test
    void aUserIdNamingSomeoneElseIs403ButAdminsMayBackfill() {
        var refused = api.post("/events/track", TOKENS.token("mallory"), "{\"userId\":\"victim\",\"event\":\"Purchased\"}");
        assertThat(refused.status(), is(403));
        assertThat(refused.contentType(), is("application/problem+json"));
        assertThat(refused.json().path("detail").asText(), containsString("another user"));

        String past = NOW.minus(Duration.ofDays(90)).toString();
        assertThat(api.post("/events/track", admin, "{\"messageId\":\"bf-1\",\"userId\":\"victim\",\"event\":\"Purchased\",\"timestamp\":\""
                                                   + past + "\"}").status(), is(200));
        JsonNode stored = api.get("/events/users/victim", admin).json().path("items");
        assertThat(stored.size(), is(1));
        assertThat(stored.get(0).path("timestamp").asText(), is(past));
        assertThat(api.get("/events/users/victim", TOKENS.token("mallory")).status(), is(403));
        // A shopper's own event dated 90 days back is refused: only admins backfill beyond 30 days.
        var old = api.post("/events/track", TOKENS.token("olga"), "{\"event\":\"X\",\"timestamp\":\"" + past + "\"}");
        assertThat(old.status(), is(400));
        assertThat(old.json().path("errors").get(0).path("field").asText(), is("timestamp"));
    }

    @Test
    void withoutATokenAnAnonymousIdIsRequiredAndAUserIdRefused() {
        assertThat(api.post("/events/track", null, "{\"event\":\"Viewed\"}").status(), is(400));
        var withUser = api.post("/events/track", null, "{\"event\":\"Viewed\",\"userId\":\"ann\",\"anonymousId\":\"a-1\"}");
        assertThat(withUser.status(), is(401));
        assertThat(withUser.contentType(), is("application/problem+json"));
        assertThat(api.post("/events/track", null, "{\"messageId\":\"anon-1\",\"event\":\"Viewed\",\"anonymousId\":\"a-1\"}").status(), is(200));
        // A Segment library's write key (Basic credentials) names no user: the call counts as anonymous.
        var segment = api.raw(Method.POST, "/events/v1/track", "Basic d3JpdGVrZXk6",
                               "{\"messageId\":\"anon-2\",\"event\":\"Viewed\",\"anonymousId\":\"a-1\"}".getBytes(), "application/json");
        assertThat(segment.status(), is(200));
        assertThat(api.post("/events/track", "not-a-jwt", "{\"event\":\"Viewed\",\"anonymousId\":\"a-1\"}").status(), is(401));
    }

    @Test
    void sentAtCorrectsTheClientsClockAndBothTimesAreKept() {
        String kim = TOKENS.token("kim");
        // The phone's clock is 1 h behind: it says it sent at 11:00:10 an event it recorded at 11:00:00.
        assertThat(api.post("/events/track", kim, "{\"messageId\":\"skew-1\",\"event\":\"Tapped\","
                + "\"timestamp\":\"2026-12-04T11:00:00Z\",\"sentAt\":\"2026-12-04T11:00:10Z\"}").status(), is(200));
        // In a batch the shared sentAt applies to events without their own.
        assertThat(api.post("/events/batch", kim, "{\"sentAt\":\"2026-12-04T11:00:30.5Z\",\"batch\":[{\"type\":\"track\",\"messageId\":\"skew-2\","
                + "\"event\":\"Tapped\",\"timestamp\":\"2026-12-04T11:00:00Z\"}]}").status(), is(200));
        JsonNode items = api.get("/events/me", kim).json().path("items");
        JsonNode one = find(items, "skew-1");
        assertThat(one.path("timestamp").asText(), is("2026-12-04T11:59:50Z"));
        assertThat(one.path("originalTimestamp").asText(), is("2026-12-04T11:00:00Z"));
        assertThat(one.path("sentAt").asText(), is("2026-12-04T11:00:10Z"));
        assertThat(one.path("receivedAt").asText(), is("2026-12-04T12:00:00Z"));
        assertThat(find(items, "skew-2").path("timestamp").asText(), is("2026-12-04T11:59:29.500Z"));
        // Without sentAt the client's timestamp is taken as it is.
        assertThat(api.post("/events/track", kim, "{\"messageId\":\"skew-3\",\"event\":\"T\",\"timestamp\":\"2026-12-04T09:00:00+09:00\"}").status(), is(200));
        assertThat(find(api.get("/events/me", kim).json().path("items"), "skew-3").path("timestamp").asText(), is("2026-12-04T00:00:00Z"));
    }

    @Test
    void aBatchKeepsItsGoodEventsAndSaysWhichWereRefusedAndWhy() {
        String lee = TOKENS.token("lee");
        var res = api.post("/events/batch", lee, "{\"context\":{\"app\":\"web\"},\"batch\":["
                + "{\"type\":\"track\",\"messageId\":\"b-0\",\"event\":\"A\",\"context\":{\"page\":\"/x\"}},"
                + "{\"type\":\"track\",\"messageId\":\"b-1\"},"
                + "{\"type\":\"track\",\"messageId\":\"b-2\",\"event\":\"B\",\"userId\":\"someone-else\"},"
                + "\"not an event\","
                + "{\"type\":\"group\",\"messageId\":\"b-4\"},"
                + "{\"type\":\"page\",\"messageId\":\"b-5\",\"name\":\"Home\"}]}");
        assertThat(res.status(), is(200));
        JsonNode body = res.json();
        assertThat(body.path("accepted").asInt(), is(2));
        JsonNode refused = body.path("refused");
        assertThat(refused.size(), is(4));
        assertThat(refused.get(0).path("index").asInt(), is(1));
        assertThat(refused.get(0).path("reason").asText(), containsString("event: is required"));
        assertThat(refused.get(1).path("index").asInt(), is(2));
        assertThat(refused.get(1).path("status").asInt(), is(403));
        assertThat(refused.get(2).path("index").asInt(), is(3));
        assertThat(refused.get(3).path("index").asInt(), is(4));
        assertThat(refused.get(3).path("reason").asText(), containsString("type"));
        JsonNode items = api.get("/events/me", lee).json().path("items");
        assertThat(items.size(), is(2));
        JsonNode first = find(items, "b-0");
        assertThat(first.path("context").path("app").asText(), is("web"));
        assertThat(first.path("context").path("page").asText(), is("/x"));

        // A retry mixing stored and new events stores only the new one, with the next feed number.
        assertThat(api.post("/events/batch", lee, "{\"batch\":[{\"type\":\"track\",\"messageId\":\"b-0\",\"event\":\"A\"},"
                + "{\"type\":\"track\",\"messageId\":\"b-6\",\"event\":\"C\"},{\"type\":\"page\",\"messageId\":\"b-5\"}]}").status(), is(200));
        JsonNode again = api.get("/events/me", lee).json().path("items");
        assertThat(again.size(), is(3));
        assertThat(find(again, "b-6").path("event").asText(), is("C"));
        assertThat(find(again, "b-0").path("context").path("app").asText(), is("web")); // the first copy stays

        // Nothing good in it: a 400 problem listing each refusal.
        var none = api.post("/events/batch", lee, "{\"batch\":[{\"type\":\"track\"},{\"type\":\"nope\",\"event\":\"x\"}]}");
        assertThat(none.status(), is(400));
        assertThat(none.json().path("errors").get(0).path("field").asText(), is("batch[0].event"));
        assertThat(none.json().path("errors").get(1).path("field").asText(), is("batch[1].type"));
        var mismatch = api.post("/events/page", lee, "{\"type\":\"track\",\"event\":\"x\"}");
        assertThat(mismatch.status(), is(400));
        assertThat(mismatch.json().path("errors").get(0).path("field").asText(), is("type"));
    }

    @Test
    void aServiceTokenReportsEventsOfAnyUserButNeedsAUserOrAnonymousId() {
        String catalog = TOKENS.token("catalog-client", "service");
        var res = api.post("/events/batch", catalog, "{\"batch\":["
                + "{\"type\":\"track\",\"messageId\":\"svc-1\",\"event\":\"Product Viewed\",\"userId\":\"pia\"},"
                + "{\"type\":\"track\",\"messageId\":\"svc-2\",\"event\":\"Product Viewed\",\"anonymousId\":\"v-1\"},"
                + "{\"type\":\"track\",\"messageId\":\"svc-3\",\"event\":\"Product Viewed\"}]}");
        assertThat(res.status(), is(200));
        assertThat(res.json().path("accepted").asInt(), is(2));
        assertThat(res.json().path("refused").get(0).path("index").asInt(), is(2));
        JsonNode pias = api.get("/events/me", TOKENS.token("pia")).json().path("items");
        assertThat(pias.size(), is(1));
        assertThat(pias.get(0).path("messageId").asText(), is("svc-1"));
        // a user's own token still cannot name someone else
        assertThat(api.post("/events/track", TOKENS.token("pia"), "{\"userId\":\"quinn\",\"event\":\"X\"}").status(), is(403));
    }

    @Test
    void withoutKafkaConfiguredEventsAreStoredAndNothingWaitsInTheOutbox() throws Exception {
        String ola = TOKENS.token("ola");
        assertThat(api.post("/events/batch", ola, "{\"batch\":[{\"type\":\"track\",\"messageId\":\"nk-0\",\"event\":\"A\"},"
                + "{\"type\":\"track\",\"messageId\":\"nk-1\",\"event\":\"B\"}]}").status(), is(200));
        assertThat(api.get("/events/me", ola).json().path("items").size(), is(2));
        try (var c = probe.dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM events_outbox")) {
            rs.next();
            assertThat(rs.getLong(1), is(0L));
        }
    }

    static JsonNode find(JsonNode items, String messageId) {
        for (JsonNode item : items) {
            if (item.path("messageId").asText().equals(messageId)) {
                return item;
            }
        }
        throw new AssertionError("No event " + messageId + " in " + items);
    }
}
