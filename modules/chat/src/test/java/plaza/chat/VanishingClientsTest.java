package plaza.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * Clients that vanish must not take chat's database pool with them. Bad input tried: 20 WebSocket
 * clients at once that join a group, send messages and then half a frame, and reset the TCP
 * connection (SO_LINGER 0) — the failed writes to them used to interrupt their reader threads in the
 * middle of JDBC calls, which closed (and broke, SQLSTATE 08006) the pooled PostgreSQL connections.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VanishingClientsTest {

    private static final Logger HIKARI = Logger.getLogger("com.zaxxer.hikari");
    private final TestTokens tokens = TestTokens.create();
    private final List<String> brokenConnections = new CopyOnWriteArrayList<>();
    private final Handler brokenWatch = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = String.valueOf(record.getMessage());
            if (message.contains("marked as broken")) {
                brokenConnections.add(message + " " + java.util.Arrays.toString(record.getParameters()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ChatTestServer chat;

    @BeforeAll
    void start() {
        HIKARI.addHandler(brokenWatch);
        chat = ChatTestServer.start(ChatTestServer.config(Map.of("chat.rate.per-second", "1000", "chat.rate.burst", "1000")),
                                    tokens.verifier());
    }

    @AfterAll
    void stop() {
        chat.close();
        HIKARI.removeHandler(brokenWatch);
    }

    @Test
    void clientsResetMidFrameLeaveThePoolAndPresenceWorking() throws Exception {
        try (ChatClient watcher = ChatClient.connect(chat.ws(), tokens.token("watcher"))) {
            watcher.send(Map.of("action", "joinGroup", "groupId", "vanish-g"));
            watcher.next("joined");
            int before = chat.chat.openConnections();
            for (int round = 0; round < 3; round++) {
                List<RawWebSocket> sockets = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    sockets.add(RawWebSocket.upgrade(chat.port(), tokens.token("ghost-" + round + "-" + i)));
                }
                List<Thread> vanishing = new ArrayList<>();
                for (RawWebSocket s : sockets) {
                    vanishing.add(Thread.ofVirtual().start(() -> {
                        try {
                            s.sendText("{\"action\":\"joinGroup\",\"groupId\":\"vanish-g\"}");
                            for (int m = 0; m < 5; m++) {
                                s.sendText("{\"action\":\"sendMessage\",\"groupId\":\"vanish-g\",\"message\":\"boo " + m + "\"}");
                            }
                            // half a masked text frame: the header promises 1000 bytes, 10 follow
                            s.sendRaw(new byte[] {(byte) 0x81, (byte) (0x80 | 126), 0x03, (byte) 0xE8, 1, 2, 3, 4,
                                                  5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
                            s.reset();
                        } catch (java.io.IOException e) {
                            // the server may have cut it first: vanished either way
                        }
                    }));
                }
                for (Thread t : vanishing) {
                    t.join();
                }
                waitFor(() -> chat.chat.openConnections() == before, "the vanished connections to be cleaned up");
            }
            // Presence still announces (it reads the database): after one more member, the count is right.
            try (ChatClient late = ChatClient.connect(chat.ws(), tokens.token("late"))) {
                late.send(Map.of("action", "joinGroup", "groupId", "vanish-g"));
                late.next("joined");
                JsonNode presence = watcher.next(f -> "presence".equals(f.path("type").asText())
                                                      && f.path("user").path("id").asText().equals("late"), ChatClient.WAIT);
                assertThat(presence.path("count").asInt(), is(2));
                late.send(Map.of("action", "sendMessage", "groupId", "vanish-g", "message", "still here", "requestId", "m1"));
                assertThat(late.next("ack").path("requestId").asText(), is("m1"));
            }
        }
        HikariDataSource pool = (HikariDataSource) chat.db.dataSource();
        assertThat("pool connections marked broken: " + brokenConnections.size(), brokenConnections.stream().limit(1).toList(), is(empty()));
        assertThat(pool.getHikariPoolMXBean().getTotalConnections() > 0, is(true));
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
