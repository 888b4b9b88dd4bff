package plaza.chat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import plaza.chat.messages.MessageStore;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Two chat replicas on one PostgreSQL: cross-replica fan-out, listener loss, recovery, dead replicas. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatClusterTest {

    private final TestTokens tokens = TestTokens.create();
    private Config config;
    private ChatTestServer one;
    private ChatTestServer two;

    @BeforeAll
    void start() {
        config = ChatTestServer.config(Map.of(
                "chat.replica.heartbeat-interval", "PT1S",
                "chat.replica.expiry", "PT3S",
                "chat.listener.check-interval", "PT1S",
                "chat.listener.max-backoff", "PT0.5S",
                "chat.rate.per-second", "1000",
                "chat.rate.burst", "1000"));
        one = ChatTestServer.start(config, tokens.verifier());
        two = ChatTestServer.start(config, tokens.verifier());
    }

    @AfterAll
    void stop() {
        one.close();
        two.close();
    }

    private ChatClient on(ChatTestServer server, String user) {
        return ChatClient.connect(server.ws(), tokens.token(user));
    }

    private static void join(ChatClient c, String group) {
        c.send(Map.of("action", "joinGroup", "groupId", group));
        c.next("joined");
    }

    private static List<Long> seqs(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("seq").asLong()).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void membersOnBothReplicasGetEachOthersMessagesInOrderAndOtherGroupsGetNone() {
        try (ChatClient a = on(one, "a"); ChatClient b = on(two, "b"); ChatClient c = on(two, "c")) {
            join(a, "group1");
            join(b, "group1");
            join(c, "group2");
            for (int i = 0; i < 10; i++) {
                a.send(Map.of("action", "sendMessage", "message", "from a " + i));
                b.send(Map.of("action", "sendMessage", "message", "from b " + i));
            }
            List<JsonNode> atA = a.messages(20);
            List<JsonNode> atB = b.messages(20);
            assertThat(seqs(atA), is(range(1, 20)));
            assertThat(seqs(atB), is(range(1, 20)));
            assertThat(atA.stream().map(m -> m.path("messageId").asText()).toList(),
                       is(atB.stream().map(m -> m.path("messageId").asText()).toList()));
            // each sender's own messages keep their order
            List<String> fromA = atB.stream().map(m -> m.path("message").asText()).filter(t -> t.startsWith("from a")).toList();
            assertThat(fromA, is(range(0, 9).stream().map(i -> "from a " + i).toList()));
            assertThat(a.drain("message", Duration.ofMillis(300)), empty());
            assertThat(c.drain("message", Duration.ofMillis(200)), empty());
        }
    }

    @Test
    void killingTheListenConnectionMidStreamLosesNothing() throws Exception {
        try (ChatClient a = on(one, "a"); ChatClient b = on(two, "b")) {
            join(a, "kill-g");
            join(b, "kill-g");
            int total = 60;
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < total; i++) {
                        a.send(Map.of("action", "sendMessage", "message", "n" + i));
                        a.next("ack");
                        Thread.sleep(5);
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            long catchUpsBefore = ChatMetrics.get().catchUps();
            List<JsonNode> received = new ArrayList<>(b.messages(10));
            int pid = two.chat.listenerBackendPid();
            assertThat(pid, not(0));
            try (Connection admin = one.db.dataSource().getConnection(); Statement s = admin.createStatement()) {
                ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(" + pid + ")");
                rs.next();
                assertThat(rs.getBoolean(1), is(true));
            }
            received.addAll(b.messages(total - 10));
            sender.join();
            assertThat(failed.get() == null ? "" : failed.get().toString(), failed.get() == null, is(true));
            assertThat(seqs(received), is(range(1, total)));
            assertThat(b.drain("message", Duration.ofMillis(300)), empty()); // and no duplicates after
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((two.chat.listenerBackendPid() == 0 || two.chat.listenerBackendPid() == pid) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(two.chat.listenerBackendPid() != pid && two.chat.listenerBackendPid() != 0, is(true));
            assertThat(ChatMetrics.get().catchUps() > catchUpsBefore, is(true));
        }
    }

    @Test
    void reconnectingWithSinceSeqRecoversExactlyTheMissedMessages() {
        try (ChatClient a = on(one, "a")) {
            join(a, "recover-g");
            long lastSeen;
            try (ChatClient b = on(two, "b")) {
                join(b, "recover-g");
                for (int i = 1; i <= 5; i++) {
                    a.send(Map.of("action", "sendMessage", "message", "before " + i));
                }
                lastSeen = b.messages(5).getLast().path("seq").asLong();
                assertThat(lastSeen, is(5L));
            }
            for (int i = 6; i <= 9; i++) {
                a.send(Map.of("action", "sendMessage", "message", "while away " + i));
                a.next("ack");
            }
            // an edit of a message b already had, while b was away, is replayed as an edit
            a.send(Map.of("action", "history", "groupId", "recover-g", "after", 0, "limit", 1));
            String firstId = a.next("history").path("messages").get(0).path("messageId").asText();
            a.send(Map.of("action", "editMessage", "messageId", firstId, "message", "before 1 (edited)"));
            a.next("ack");
            // b comes back on the other replica
            try (ChatClient b = on(one, "b")) {
                b.send(Map.of("action", "joinGroup", "groupId", "recover-g", "sinceSeq", lastSeen));
                JsonNode joined = b.next("joined");
                assertThat(joined.path("recovered").asBoolean(), is(true));
                // How many come as the replay depends on how far this replica's fan-out had got at the join (an ack is
                // sent at commit, before the replica hears the NOTIFY): 5 with the edit (seq 10), 4 without, fewer on a
                // loaded machine — the rest then arrive live, in the same order, which is what a client sees either way.
                assertThat(joined.path("missed").asInt(), org.hamcrest.Matchers.lessThanOrEqualTo(5));
                List<JsonNode> replayed = b.messages(4);
                assertThat(seqs(replayed), is(range(6, 9)));
                JsonNode edit = b.next("edited");
                assertThat(edit.path("seq").asLong(), is(10L));
                assertThat(edit.path("message").asText(), is("before 1 (edited)"));
                a.send(Map.of("action", "sendMessage", "message", "live again"));
                JsonNode live = b.next("message");
                assertThat(live.path("seq").asLong(), is(11L));
                assertThat(b.drain("message", Duration.ofMillis(300)), empty());
            }
            // recovering from the present replays nothing; from the future answers recovered:false
            try (ChatClient b = on(two, "b")) {
                b.send(Map.of("action", "joinGroup", "groupId", "recover-g", "sinceSeq", 11));
                JsonNode joined = b.next("joined");
                assertThat(joined.path("recovered").asBoolean(), is(true));
                assertThat(joined.path("missed").asInt(), is(0));
                b.send(Map.of("action", "joinGroup", "groupId", "recover-g", "sinceSeq", 500));
                assertThat(b.next("joined").path("recovered").asBoolean(), is(false));
            }
        }
    }

    @Test
    void whenAReplicaDiesItsClientsRecoverEverythingOnAnother() throws Exception {
        ChatTestServer three = ChatTestServer.start(config, tokens.verifier());
        try (ChatClient a = on(one, "a")) {
            join(a, "dying-g");
            long lastSeen;
            try (ChatClient b = on(three, "b")) {
                join(b, "dying-g");
                for (int i = 1; i <= 3; i++) {
                    a.send(Map.of("action", "sendMessage", "message", "before " + i));
                }
                lastSeen = b.messages(3).getLast().path("seq").asLong();
                // the replica goes away under its clients, no goodbye: its listener stops, b's socket is cut
                three.server.stop();
                b.socket().abort();
            } finally {
                three.chat.close();
            }
            for (int i = 4; i <= 8; i++) {
                a.send(Map.of("action", "sendMessage", "message", "after " + i));
                a.next("ack");
            }
            try (ChatClient b = on(two, "b")) {
                b.send(Map.of("action", "joinGroup", "groupId", "dying-g", "sinceSeq", lastSeen));
                JsonNode joined = b.next("joined");
                assertThat(joined.path("recovered").asBoolean(), is(true));
                assertThat(seqs(b.messages(5)), is(range(4, 8)));
                assertThat(b.drain("message", Duration.ofMillis(300)), empty());
            }
        }
    }

    @Test
    void sinceSeqOlderThanRetentionAnswersRecoveredFalse() throws Exception {
        try (ChatClient a = on(one, "a")) {
            join(a, "retention-g");
            for (int i = 1; i <= 4; i++) {
                a.send(Map.of("action", "sendMessage", "message", "old " + i));
                a.next("ack");
            }
            try (Connection c = one.db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE chat_messages SET created_at = now() - interval '40 days' WHERE group_id = ? AND seq <= 2")) {
                ps.setString(1, "retention-g");
                ps.executeUpdate();
            }
            int purged = new MessageStore(one.db.dataSource(), "plaza_chat").purgeOlderThan(Duration.ofDays(30));
            assertThat(purged, is(2));
            try (ChatClient b = on(two, "b")) {
                b.send(Map.of("action", "joinGroup", "groupId", "retention-g", "sinceSeq", 1));
                JsonNode joined = b.next("joined");
                assertThat(joined.path("recovered").asBoolean(), is(false));
                assertThat(joined.path("lastSeq").asLong(), is(4L));
                b.send(Map.of("action", "joinGroup", "groupId", "retention-g", "sinceSeq", 2));
                JsonNode fine = b.next("joined");
                assertThat(fine.path("recovered").asBoolean(), is(true));
                assertThat(seqs(b.messages(2)), is(List.of(3L, 4L)));
            }
        }
    }

    @Test
    void connectionsOfADeadReplicaExpireFromPresence() throws Exception {
        UUID ghost = UUID.randomUUID();
        try (Connection c = one.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO chat_groups (group_id, created_by) VALUES ('ghost-g', 'x') ON CONFLICT DO NOTHING");
            s.executeUpdate("INSERT INTO chat_replicas (replica_id, heartbeat_at) VALUES ('dead-replica', now() - interval '1 hour')");
            s.executeUpdate("INSERT INTO chat_connections (connection_id, user_id, user_name, replica_id) VALUES ('"
                            + ghost + "', 'ghost', 'Ghost', 'dead-replica')");
            s.executeUpdate("INSERT INTO chat_connection_groups (connection_id, group_id) VALUES ('" + ghost + "', 'ghost-g')");
        }
        try (ChatClient a = on(two, "a")) {
            join(a, "ghost-g");
            JsonNode refreshed = a.next(f -> "presence".equals(f.path("type").asText())
                                             && f.path("count").asInt() == 1
                                             && f.path("online").get(0).path("id").asText().equals("a"), Duration.ofSeconds(15));
            assertThat(refreshed.path("groupId").asText(), is("ghost-g"));
        }
        try (Connection c = one.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*) FROM chat_connections WHERE replica_id = 'dead-replica'");
            rs.next();
            assertThat(rs.getInt(1), is(0));
        }
    }
}
