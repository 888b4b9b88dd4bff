package plaza.events;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.db.Database;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * Publication to a real Kafka (one KRaft node in this JVM, Kafka's own test kit): every stored event
 * reaches the topic exactly once as a read_committed consumer sees it, keyed by its user or anonymous
 * id, retried calls included; with the broker stopped in the middle of a stream of calls, ingestion
 * goes on, the outbox holds what waits, and after the broker is back every event is there once.
 */
@ServerTest
class KafkaPublicationTest {

    static final TestTokens TOKENS = TestTokens.create();
    static final String TOPIC = "plaza.events.test";
    static KafkaClusterTestKit kafka;
    static EventsService service;
    static Database probe;
    final EventsApi api;

    KafkaPublicationTest(Http1Client http) {
        this.api = new EventsApi(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                                                        .setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("events.kafka.bootstrap-servers", kafka.bootstrapServers());
        settings.put("events.kafka.topic", TOPIC);
        // short client timeouts, so the outage below is noticed and retried within the test's seconds
        settings.put("events.kafka.producer.max.block.ms", "2000");
        settings.put("events.kafka.producer.request.timeout.ms", "2000");
        settings.put("events.kafka.producer.delivery.timeout.ms", "4000");
        settings.put("events.kafka.producer.retry.backoff.max.ms", "200");
        settings.put("events.kafka.producer.reconnect.backoff.max.ms", "200");
        Config config = EventsApi.config(settings);
        service = EventsApi.service(config, TOKENS.verifier(), Clock.systemUTC());
        PlazaServer.configure(server, config, List.of(service));
        probe = Database.open(config.get("db"), "events");
    }

    @AfterAll
    static void close() throws Exception {
        service.close();
        probe.close();
        kafka.close();
    }

    @Test
    void everyStoredEventIsPublishedOnceKeyedByItsUser() throws Exception {
        String ann = TOKENS.token("ann");
        for (int b = 0; b < 3; b++) {
            String batch = batch("once-" + b + "-", 100);
            // sent three times: stored once, so published once
            for (int retry = 0; retry < 3; retry++) {
                assertThat(api.post("/events/batch", ann, batch).status(), is(200));
            }
        }
        for (int i = 0; i < 20; i++) {
            assertThat(api.post("/events/track", null, "{\"messageId\":\"once-anon-" + i + "\",\"anonymousId\":\"visitor-9\",\"event\":\"Viewed\"}")
                               .status(), is(200));
        }
        Map<String, List<ConsumerRecord<String, String>>> seen = consume("once-", 320);
        assertThat(seen.size(), is(320));
        assertThat(seen.values().stream().map(List::size).toList(), everyItem(is(1)));
        ConsumerRecord<String, String> first = seen.get("once-0-0").getFirst();
        assertThat(first.key(), is("ann"));
        JsonNode value = new ObjectMapper().readTree(first.value());
        assertThat(value.path("event").asText(), is("Clicked"));
        assertThat(value.path("userId").asText(), is("ann"));
        assertThat(value.path("properties").path("n").asInt(), is(0));
        assertThat(new String(first.headers().lastHeader("messageId").value()), is("once-0-0"));
        assertThat(seen.get("once-anon-3").getFirst().key(), is("visitor-9"));
        assertThat(pendingEventually(0), is(0L));
    }

    @Test
    void withTheBrokerStoppedMidStreamIngestionGoesOnAndEveryEventIsPublishedOnce() throws Exception {
        String bob = TOKENS.token("bob");
        AtomicInteger sent = new AtomicInteger();
        Thread sender = Thread.ofPlatform().start(() -> {
            for (int b = 0; b < 40; b++) {
                if (api.post("/events/batch", bob, batch("outage-" + b + "-", 25)).status() == 200) {
                    sent.incrementAndGet();
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        while (sent.get() < 5) {
            Thread.sleep(20);
        }
        BrokerServer broker = kafka.brokers().values().iterator().next();
        broker.shutdown();
        try {
            long waitingBefore = pending();
            Thread.sleep(3000);
            // stored (a 200 for every batch meanwhile) and waiting in the outbox
            assertThat(pending(), greaterThan(waitingBefore));
        } finally {
            broker.startup();
        }
        sender.join();
        assertThat(sent.get(), is(40));
        Map<String, List<ConsumerRecord<String, String>>> seen = consume("outage-", 1000);
        assertThat(seen.size(), is(1000));
        assertThat(seen.values().stream().map(List::size).toList(), everyItem(is(1)));
        assertThat(pendingEventually(0), is(0L));
    }

    /** Every record whose messageId starts with {@code prefix}, read committed, once {@code expected} ids are seen (and a second more). */
    static Map<String, List<ConsumerRecord<String, String>>> consume(String prefix, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<ConsumerRecord<String, String>>> seen = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    String id = new String(r.headers().lastHeader("messageId").value());
                    if (id.startsWith(prefix)) {
                        seen.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(r);
                    }
                }
                if (seen.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos(); // a duplicate would arrive now
                }
            }
        }
        return seen;
    }

    static String batch(String prefix, int n) {
        StringJoiner events = new StringJoiner(",", "{\"batch\":[", "]}");
        for (int i = 0; i < n; i++) {
            events.add("{\"type\":\"track\",\"messageId\":\"" + prefix + i + "\",\"event\":\"Clicked\",\"properties\":{\"n\":" + i + "}}");
        }
        return events.toString();
    }

    static long pending() throws SQLException {
        try (Connection c = probe.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM events_outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long pendingEventually(long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long n = pending();
        while (n != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            n = pending();
        }
        return n;
    }
}
