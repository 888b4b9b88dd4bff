package plaza.events;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.db.Database;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;

/**
 * Two replicas on one database, as deployed. A batch retried 50 times at once, spread over both,
 * is stored once; so is a retry after a replica restarted. The feed, read while writers on both
 * replicas commit concurrently and by a consumer that "restarts" (keeps only its cursor) after
 * every page, yields every event exactly once, in increasing feed order.
 */
@ServerTest
class ReplicasTest {

    static final TestTokens TOKENS = TestTokens.create();
    static Config config;
    static Database probe;
    static EventsService serviceA;
    static EventsService serviceB;
    static WebServer replicaB;
    final EventsApi a;
    final EventsApi b;
    final String admin = TOKENS.token("root", "admin");

    ReplicasTest(Http1Client http) {
        this.a = new EventsApi(http);
        this.b = EventsApi.at(replicaB.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        config = EventsApi.config(Map.of());
        serviceA = EventsApi.service(config, TOKENS.verifier(), Clock.systemUTC());
        PlazaServer.configure(server, config, List.of(serviceA));
        serviceB = EventsApi.service(config, TOKENS.verifier(), Clock.systemUTC());
        WebServerConfig.Builder other = WebServer.builder();
        PlazaServer.configure(other, config, List.of(serviceB));
        replicaB = other.port(0).build().start();
        probe = Database.open(config.get("db"), "events");
    }

    @AfterAll
    static void close() {
        replicaB.stop();
        serviceB.close();
        serviceA.close();
        probe.close();
    }

    @Test
    void fiftyParallelRetriesOfOneBatchOverTwoReplicasStoreItOnce() throws Exception {
        String token = TOKENS.token("retry");
        StringJoiner events = new StringJoiner(",", "{\"batch\":[", "]}");
        for (int i = 0; i < 20; i++) {
            events.add("{\"type\":\"track\",\"messageId\":\"retry-" + i + "\",\"event\":\"E" + i + "\"}");
        }
        String batch = events.toString();
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
            EventsApi replica = t % 2 == 0 ? a : b;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                statuses.add(replica.post("/events/batch", token, batch).status());
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(statuses.size(), is(50));
        assertThat(statuses, everyItem(is(200)));
        assertThat(count("SELECT count(*) FROM events WHERE message_id LIKE 'retry-%'"), is(20L));
        assertThat(count("SELECT count(DISTINCT feed_seq) FROM events WHERE message_id LIKE 'retry-%'"), is(20L));

        // A replica restarts (a new process on the same database): the retry is still a duplicate.
        EventsService restarted = EventsApi.service(config, TOKENS.verifier(), Clock.systemUTC());
        WebServerConfig.Builder builder = WebServer.builder();
        PlazaServer.configure(builder, config, List.of(restarted));
        WebServer server = builder.port(0).build().start();
        try {
            assertThat(EventsApi.at(server.port()).post("/events/batch", token, batch).status(), is(200));
        } finally {
            server.stop();
            restarted.close();
        }
        assertThat(count("SELECT count(*) FROM events WHERE message_id LIKE 'retry-%'"), is(20L));
        assertThat(a.get("/events/me?limit=500", token).json().path("items").size(), is(20));
    }

    @Test
    void theFeedGivesEveryEventOnceInCommitOrderWhileBothReplicasWrite() throws Exception {
        assertThat(a.get("/events/feed", TOKENS.token("nobody")).status(), is(403));
        assertThat(a.get("/events/feed", null).status(), is(401));
        long start = Long.parseLong(a.get("/events/feed?after=0&limit=1000", admin).json().path("next").asText());
        while (true) { // skip what other tests stored
            String next = a.get("/events/feed?after=" + start + "&limit=1000", admin).json().path("next").asText();
            if (Long.parseLong(next) == start) {
                break;
            }
            start = Long.parseLong(next);
        }
        int writers = 6;
        int batches = 15;
        int perBatch = 7;
        Set<String> sent = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            EventsApi replica = w % 2 == 0 ? a : b;
            String token = TOKENS.token("writer" + w);
            threads.add(Thread.ofVirtual().start(() -> {
                for (int n = 0; n < batches; n++) {
                    StringJoiner events = new StringJoiner(",", "{\"batch\":[", "]}");
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < perBatch; i++) {
                        String id = "feed-" + writer + "-" + n + "-" + i;
                        ids.add(id);
                        events.add("{\"type\":\"track\",\"messageId\":\"" + id + "\",\"event\":\"F\"}");
                    }
                    var res = replica.post("/events/batch", token, events.toString());
                    if (res.status() == 200) {
                        sent.addAll(ids);
                    }
                }
            }));
        }
        // The consumer: pages of 5, alternating replicas, keeping nothing but the cursor between pages.
        List<String> received = new ArrayList<>();
        Set<String> unique = new HashSet<>();
        long cursor = start;
        long lastSeq = start;
        while (true) {
            boolean writing = threads.stream().anyMatch(Thread::isAlive);
            EventsApi reader = received.size() % 2 == 0 ? a : b;
            JsonNode page = reader.get("/events/feed?after=" + cursor + "&limit=5", admin).json();
            for (JsonNode item : page.path("items")) {
                long seq = item.path("seq").asLong();
                assertThat("feed numbers increase", seq > lastSeq, is(true));
                lastSeq = seq;
                received.add(item.path("messageId").asText());
                unique.add(item.path("messageId").asText());
            }
            cursor = Long.parseLong(page.path("next").asText());
            if (!writing && page.path("items").isEmpty()) {
                break;
            }
        }
        assertThat(sent.size(), is(writers * batches * perBatch));
        assertThat("no duplicates", received.size(), is(unique.size()));
        assertThat("no gaps", unique, is(sent));
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = probe.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
