package plaza.chat;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Slow consumers, dead connections, server pings and shutdown. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionHealthTest {

    private final TestTokens tokens = TestTokens.create();
    private Config config;
    private ChatTestServer slow;
    private ChatTestServer pinging;
    private ChatTestServer tokenChecks; // its own server: the connection counts the other tests wait for stay theirs

    @BeforeAll
    void start() {
        config = ChatTestServer.config(Map.of(
                "chat.send-queue", "64",
                "chat.max-message-length", "60000",
                "chat.max-frame-bytes", "100000",
                "chat.rate.per-second", "1000",
                "chat.rate.burst", "1000"));
        slow = ChatTestServer.start(config, tokens.verifier());
        tokenChecks = ChatTestServer.start(config, tokens.verifier());
        pinging = ChatTestServer.start(io.helidon.config.Config.just(
                io.helidon.config.ConfigSources.create(Map.of("chat.ping-interval", "PT1S", "chat.close-timeout", "PT1S")),
                io.helidon.config.ConfigSources.create(config)), tokens.verifier());
    }

    @AfterAll
    void stop() {
        slow.close();
        pinging.close();
        tokenChecks.close();
    }

    @Test
    void aSlowConsumerIsClosedWhileTheOthersKeepReceiving() throws Exception {
        int before = slow.chat.openConnections();
        long closedBefore = ChatMetrics.get().slowConsumersClosed();
        try (ChatClient sender = ChatClient.connect(slow.ws(), tokens.token("sender"));
             ChatClient fast = ChatClient.connect(slow.ws(), tokens.token("fast"));
             RawWebSocket stalled = RawWebSocket.upgrade(slow.port(), tokens.token("stalled"))) {
            for (ChatClient c : List.of(sender, fast)) {
                c.send(Map.of("action", "joinGroup", "groupId", "slow-g"));
                c.next("joined");
            }
            stalled.sendText("{\"action\":\"joinGroup\",\"groupId\":\"slow-g\"}");
            waitFor(() -> slow.chat.openConnections() == before + 3, "three connections");
            String big = "x".repeat(50_000); // 50 KB frames fill the socket buffers quickly (and travel by reference)
            int total = 300;
            Thread feeder = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < total; i++) {
                    sender.send(Map.of("action", "sendMessage", "message", big));
                    sender.next("ack");
                }
            });
            List<JsonNode> received = fast.messages(total);
            feeder.join();
            for (int i = 0; i < total; i++) {
                assertThat(received.get(i).path("seq").asLong(), is((long) i + 1));
            }
            waitFor(() -> slow.chat.openConnections() == before + 2, "the stalled connection to be closed");
            assertThat(ChatMetrics.get().slowConsumersClosed(), is(closedBefore + 1));
        }
    }

    @Test
    void aConnectionThatAnswersNoPingsIsClosedButAnAnsweringOneStays() throws Exception {
        int before = pinging.chat.openConnections();
        try (ChatClient alive = ChatClient.connect(pinging.ws(), tokens.token("alive"));
             RawWebSocket dead = RawWebSocket.upgrade(pinging.port(), tokens.token("dead"))) {
            waitFor(() -> pinging.chat.openConnections() == before + 2, "two connections");
            // ping every second; silent for 2 pings + close timeout = dead
            waitFor(() -> pinging.chat.openConnections() == before + 1, "the silent connection to be closed");
            alive.send(Map.of("action", "ping", "requestId", "still"));
            assertThat(alive.next("pong").path("requestId").asText(), is("still"));
        }
    }

    @Test
    void aSocketThatDropsWithoutACloseFrameLeavesPresenceWithinSeconds() throws Exception {
        int before = slow.chat.openConnections();
        try (ChatClient watcher = ChatClient.connect(slow.ws(), tokens.token("watcher"))) {
            watcher.send(Map.of("action", "joinGroup", "groupId", "drop-g"));
            watcher.next("joined");
            RawWebSocket dropped = RawWebSocket.upgrade(slow.port(), tokens.token("dropper"));
            dropped.sendText("{\"action\":\"joinGroup\",\"groupId\":\"drop-g\"}");
            watcher.next(f -> "presence".equals(f.path("type").asText()) && f.path("count").asInt() == 2, ChatClient.WAIT);
            dropped.close(); // TCP close, no WebSocket close frame (a killed client)
            JsonNode left = watcher.next(f -> "presence".equals(f.path("type").asText())
                                              && "leave".equals(f.path("event").asText()), Duration.ofSeconds(10));
            assertThat(left.path("user").path("id").asText(), is("dropper"));
            waitFor(() -> slow.chat.openConnections() == before + 1, "the dropped connection to be cleaned up");
        }
    }

    @Test
    void shutdownClosesEverySocketWith1001AndRefusesNewOnes() {
        Config own = ChatTestServer.config(Map.of());
        ChatTestServer server = ChatTestServer.start(own, tokens.verifier());
        try (ChatClient a = ChatClient.connect(server.ws(), tokens.token("a"));
             ChatClient b = ChatClient.connect(server.ws(), tokens.token("b"))) {
            a.send(Map.of("action", "joinGroup", "groupId", "bye-g"));
            a.next("joined");
            server.chat.close();
            assertThat(a.awaitClose(), is(1001));
            assertThat(b.awaitClose(), is(1001));
            CompletionException refused = assertThrows(CompletionException.class,
                                                       () -> ChatClient.connect(server.ws(), tokens.token("c")));
            assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode(), is(503));
        } finally {
            server.server.stop();
        }
    }

    @Test
    void aConnectionEndsWhenItsTokenExpires() {
        try (ChatClient client = ChatClient.connect(tokenChecks.ws(), tokens.tokenExpiringIn("expiring", Duration.ofSeconds(2)))) {
            client.send(Map.of("action", "ping"));
            client.next("pong");
            JsonNode error = client.next(f -> "token-expired".equals(f.path("code").asText()), Duration.ofSeconds(10));
            assertThat(error.path("type").asText(), is("error"));
            assertThat(client.awaitClose(), is(1008));
        }
    }

    @Test
    void aFreshTokenForTheSameUserKeepsTheConnectionOpen() throws Exception {
        try (ChatClient client = ChatClient.connect(tokenChecks.ws(), tokens.tokenExpiringIn("renewing", Duration.ofSeconds(2)))) {
            client.send(Map.of("action", "auth", "token", tokens.tokenExpiringIn("renewing", Duration.ofSeconds(60)), "requestId", "r1"));
            JsonNode ok = client.next("authenticated");
            assertThat(ok.path("requestId").asText(), is("r1"));
            assertThat(java.time.Instant.parse(ok.path("expiresAt").asText()).isAfter(java.time.Instant.now().plusSeconds(30)), is(true));
            Thread.sleep(4000); // well past the first token's expiry and a sweep
            client.send(Map.of("action", "ping"));
            client.next("pong");
            assertThat(client.drain("error", Duration.ofMillis(200)).isEmpty(), is(true));
        }
    }

    @Test
    void authRefusesAnotherUsersTokenAForgedOneAndAMissingOne() {
        TestTokens impostor = TestTokens.create(); // a key this server does not trust
        try (ChatClient client = ChatClient.connect(tokenChecks.ws(), tokens.token("holder"))) {
            client.send(Map.of("action", "auth", "token", tokens.token("someone-else")));
            assertThat(client.next("error").path("code").asText(), is("forbidden"));
            client.send(Map.of("action", "auth", "token", impostor.token("holder")));
            assertThat(client.next("error").path("code").asText(), is("unauthorized"));
            client.send(Map.of("action", "auth", "token", "not.a.jwt"));
            assertThat(client.next("error").path("code").asText(), is("unauthorized"));
            client.send(Map.of("action", "auth", "token", 42));
            assertThat(client.next("error").path("code").asText(), is("bad-request"));
            client.send(Map.of("action", "auth"));
            assertThat(client.next("error").path("code").asText(), is("bad-request"));
            // Still the holder, still connected.
            client.send(Map.of("action", "ping"));
            client.next("pong");
        }
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
