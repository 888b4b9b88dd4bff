package plaza.events;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * What a shopper did anonymously counts once an identify with a token links the anonymous id (and
 * nobody can take over an id already linked); erasing removes the user's events and those of the
 * linked ids. Paging newest first with the cursor. Stats per hour and day. Retention: events older
 * than {@code events.retention} are refused, day partitions are created ahead, and expired ones are
 * dropped with their events. Bad inputs tried: a forged cursor, an unknown interval, from after to.
 */
@ServerTest
class IdentityAndRetentionTest {

    static final TestTokens TOKENS = TestTokens.create();
    static final Instant NOW = Instant.parse("2026-06-15T12:30:00Z");
    static final EventsApi.TestClock CLOCK = new EventsApi.TestClock(NOW);
    static EventsService service;
    final EventsApi api;
    final String admin = TOKENS.token("root", "admin");

    IdentityAndRetentionTest(Http1Client http) {
        this.api = new EventsApi(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = EventsApi.config(Map.of("events.retention", "P20D", "events.partitions-ahead", "2"));
        service = EventsApi.service(config, TOKENS.verifier(), CLOCK);
        PlazaServer.configure(server, config, List.of(service));
    }

    @AfterAll
    static void close() {
        service.close();
    }

    @Test
    void anonymousThenIdentifiedThenErased() {
        assertThat(api.post("/events/page", null, "{\"messageId\":\"an-1\",\"anonymousId\":\"browser-7\",\"name\":\"Home\"}").status(), is(200));
        assertThat(api.post("/events/track", null, "{\"messageId\":\"an-2\",\"anonymousId\":\"browser-7\",\"event\":\"Viewed\"}").status(), is(200));
        String ada = TOKENS.token("ada");
        assertThat(api.get("/events/me", ada).json().path("items").size(), is(0));
        assertThat(api.post("/events/identify", ada, "{\"messageId\":\"an-3\",\"anonymousId\":\"browser-7\"}").status(), is(200));
        assertThat(ids(api.get("/events/me", ada).json()), contains("an-3", "an-2", "an-1"));

        // Someone else identifying with the same anonymous id gets only their own identify.
        String eve = TOKENS.token("eve");
        assertThat(api.post("/events/identify", eve, "{\"messageId\":\"an-4\",\"anonymousId\":\"browser-7\"}").status(), is(200));
        assertThat(ids(api.get("/events/me", eve).json()), contains("an-4"));

        var erased = api.delete("/events/me", ada);
        assertThat(erased.status(), is(200));
        assertThat(erased.json().path("deleted").asInt(), is(3));
        assertThat(api.get("/events/me", ada).json().path("items").size(), is(0));
        List<String> feed = new ArrayList<>();
        api.get("/events/feed?limit=1000", admin).json().path("items").forEach(i -> feed.add(i.path("messageId").asText()));
        assertThat(feed, not(hasItem("an-1")));
        assertThat(feed, hasItem("an-4"));
        // The link went too: later anonymous events of that id are not ada's.
        assertThat(api.post("/events/track", null, "{\"messageId\":\"an-5\",\"anonymousId\":\"browser-7\",\"event\":\"Viewed\"}").status(), is(200));
        assertThat(api.get("/events/me", ada).json().path("items").size(), is(0));
    }

    @Test
    void pagesGoNewestFirstBehindACursor() {
        String pia = TOKENS.token("pia");
        for (int i = 0; i < 5; i++) {
            String ts = NOW.minus(Duration.ofMinutes(10 - i)).toString();
            assertThat(api.post("/events/track", pia, "{\"messageId\":\"pg-" + i + "\",\"event\":\"E\",\"timestamp\":\"" + ts + "\"}").status(), is(200));
        }
        JsonNode first = api.get("/events/me?limit=2", pia).json();
        assertThat(ids(first), contains("pg-4", "pg-3"));
        JsonNode second = api.get("/events/me?limit=2&cursor=" + first.path("next").asText(), pia).json();
        assertThat(ids(second), contains("pg-2", "pg-1"));
        JsonNode third = api.get("/events/me?limit=2&cursor=" + second.path("next").asText(), pia).json();
        assertThat(ids(third), contains("pg-0"));
        assertThat(third.path("next").isNull(), is(true));
        assertThat(ids(api.get("/events/me?from=" + NOW.minus(Duration.ofMinutes(8)) + "&to=" + NOW.minus(Duration.ofMinutes(6)), pia).json()),
                   contains("pg-3", "pg-2"));
        assertThat(api.get("/events/me?cursor=bm9wZQ", pia).status(), is(400));
        assertThat(api.get("/events/me?limit=0", pia).status(), is(400));
        assertThat(api.get("/events/me?from=yesterday", pia).status(), is(400));
    }

    @Test
    void statsCountEventsAndDistinctUsersPerHourAndDay() {
        String day = "2026-06-10";
        for (String[] e : new String[][] {{"u1", "T08:05:00Z"}, {"u1", "T08:45:00Z"}, {"u2", "T08:50:00Z"}, {"u2", "T09:10:00Z"}}) {
            assertThat(api.post("/events/track", admin, "{\"userId\":\"" + e[0] + "\",\"event\":\"Bought\",\"timestamp\":\"" + day + e[1] + "\"}")
                               .status(), is(200));
        }
        JsonNode hourly = api.get("/events/stats?event=Bought&interval=hour&from=" + day + "&to=2026-06-11", admin).json().path("buckets");
        assertThat(hourly.size(), is(2));
        assertThat(hourly.get(0).path("start").asText(), is("2026-06-10T08:00:00Z"));
        assertThat(hourly.get(0).path("count").asInt(), is(3));
        assertThat(hourly.get(0).path("users").asInt(), is(2));
        assertThat(hourly.get(1).path("count").asInt(), is(1));
        JsonNode daily = api.get("/events/stats?event=Bought&from=" + day + "&to=2026-06-11", admin).json().path("buckets");
        assertThat(daily.size(), is(1));
        assertThat(daily.get(0).path("count").asInt(), is(4));
        assertThat(daily.get(0).path("users").asInt(), is(2));
        assertThat(api.get("/events/stats", TOKENS.token("u1")).status(), is(403));
        assertThat(api.get("/events/stats?interval=week", admin).status(), is(400));
        assertThat(api.get("/events/stats?from=2026-06-11&to=2026-06-10", admin).status(), is(400));
    }

    @Test
    void partitionsAreMadeAheadAndDroppedAfterTheRetention() throws Exception {
        LocalDate today = LocalDate.parse("2026-06-15");
        assertThat(partitions().contains(today.plusDays(2)), is(true));
        // The retention is 20 days: 19 days back is kept (even by an admin only that far), 21 days back is refused.
        Instant kept = NOW.minus(Duration.ofDays(19));
        assertThat(api.post("/events/track", admin, "{\"messageId\":\"old-1\",\"userId\":\"ret\",\"event\":\"E\",\"timestamp\":\"" + kept + "\"}")
                           .status(), is(200));
        var refused = api.post("/events/track", admin, "{\"userId\":\"ret\",\"event\":\"E\",\"timestamp\":\"" + NOW.minus(Duration.ofDays(21)) + "\"}");
        assertThat(refused.status(), is(400));
        assertThat(partitions().contains(today.minusDays(19)), is(true));

        CLOCK.advance(Duration.ofDays(2));
        try {
            service.maintain();
            assertThat(partitions().contains(today.minusDays(19)), is(false));
            assertThat(partitions().contains(today.plusDays(4)), is(true));
            assertThat(api.get("/events/users/ret", admin).json().path("items").size(), is(0));
        } finally {
            CLOCK.set(NOW);
        }
    }

    private static List<LocalDate> partitions() throws java.sql.SQLException {
        return service.partitionDays();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(i -> ids.add(i.path("messageId").asText()));
        return ids;
    }
}
