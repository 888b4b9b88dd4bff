package plaza.chat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import plaza.platform.http.Json;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The WebSocket protocol on one replica: seed 002's messages, the other actions, every refusal. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatProtocolTest {

    private final TestTokens tokens = TestTokens.create();
    private ChatTestServer server;

    @BeforeAll
    void start() {
        server = ChatTestServer.start(ChatTestServer.config(Map.of()), tokens.verifier());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(server.ws(), tokens.token(user));
    }

    private static JsonNode join(ChatClient c, String group) {
        c.send(Map.of("action", "joinGroup", "groupId", group));
        JsonNode joined = c.next("joined");
        assertThat(joined.path("groupId").asText(), is(group));
        return joined;
    }

    @Test
    void seedMessagesJoinAndSendReachTheGroupAfterTheAck() {
        try (ChatClient alice = connect("alice"); ChatClient bob = connect("bob")) {
            // seed 002's exact frames
            alice.send("{\"action\":\"joinGroup\",\"groupId\":\"seed-group1\"}");
            assertThat(alice.next("joined").path("lastSeq").asLong(), is(0L));
            join(bob, "seed-group1");
            alice.send("{\"action\":\"sendMessage\",\"message\":\"안녕하세요!\",\"requestId\":\"r1\"}");
            JsonNode ack = alice.next("ack");
            assertThat(ack.path("requestId").asText(), is("r1"));
            assertThat(ack.path("seq").asLong(), is(1L));
            for (ChatClient c : List.of(alice, bob)) {
                JsonNode m = c.next("message");
                assertThat(m.path("groupId").asText(), is("seed-group1"));
                assertThat(m.path("message").asText(), is("안녕하세요!"));
                assertThat(m.path("seq").asLong(), is(1L));
                assertThat(m.path("messageId").asText(), is(ack.path("messageId").asText()));
                assertThat(m.path("sender").path("id").asText(), is("alice"));
                assertThat(m.path("sender").path("name").asText(), is("User alice"));
                assertThat(m.path("createdAt").asText(), notNullValue());
            }
        }
    }

    @Test
    void presenceListsWhoIsOnline() {
        try (ChatClient alice = connect("alice"); ChatClient bob = connect("bob")) {
            join(alice, "presence-g");
            join(bob, "presence-g");
            JsonNode presence = alice.next(f -> "presence".equals(f.path("type").asText())
                                                && f.path("count").asInt() == 2, ChatClient.WAIT);
            assertThat(presence.path("online").toString(), containsString("\"bob\""));
            bob.send(Map.of("action", "leaveGroup", "groupId", "presence-g", "requestId", "l1"));
            assertThat(bob.next("left").path("requestId").asText(), is("l1"));
            JsonNode after = alice.next(f -> "presence".equals(f.path("type").asText())
                                             && "leave".equals(f.path("event").asText()), ChatClient.WAIT);
            assertThat(after.path("count").asInt(), is(1));
            assertThat(after.path("user").path("id").asText(), is("bob"));
        }
    }

    /**
     * Members joining at once: the last presence frame each one gets counts them all. Each join's
     * snapshot used to be read and NOTIFYed in separate steps, so an older "1 online" could be sent
     * after a newer "2 online" and stay on every screen (the browser test saw it in CI).
     */
    @Test
    void concurrentJoinsEndWithEveryoneCounted() {
        int n = 6;
        for (int round = 0; round < 3; round++) {
            String group = "presence-race-" + round;
            List<ChatClient> clients = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(connect("racer" + i));
                }
                clients.parallelStream().forEach(c -> c.send(Map.of("action", "joinGroup", "groupId", group)));
                for (ChatClient c : clients) {
                    c.next("joined");
                    // actions on one connection run in order: after the pong, its join's announcement is sent
                    c.send(Map.of("action", "ping"));
                    c.next("pong");
                }
                // A message NOTIFYed after every announcement: what each member shows before it is the final word.
                clients.getFirst().send(Map.of("action", "sendMessage", "groupId", group, "message", "all here?"));
                for (ChatClient c : clients) {
                    c.next("message");
                    List<JsonNode> presence = c.drain("presence", Duration.ZERO);
                    assertThat(presence, org.hamcrest.Matchers.not(empty()));
                    assertThat(presence.getLast().toString(), presence.getLast().path("count").asInt(), is(n));
                }
            } finally {
                clients.forEach(ChatClient::close);
            }
        }
    }

    @Test
    void severalGroupsPerConnectionWithExplicitGroupId() {
        try (ChatClient alice = connect("alice"); ChatClient bob = connect("bob")) {
            join(alice, "multi-a");
            join(alice, "multi-b");
            join(bob, "multi-a");
            alice.send(Map.of("action", "sendMessage", "groupId", "multi-a", "message", "to a"));
            alice.send(Map.of("action", "sendMessage", "groupId", "multi-b", "message", "to b"));
            JsonNode atBob = bob.next("message");
            assertThat(atBob.path("message").asText(), is("to a"));
            List<JsonNode> atAlice = alice.messages(2);
            assertThat(atAlice.get(1).path("groupId").asText(), is("multi-b"));
            assertThat(bob.drain("message", Duration.ofMillis(300)), empty());
        }
    }

    @Test
    void malformedJsonIsAnErrorFrameAndTheConnectionStaysOpen() {
        try (ChatClient alice = connect("alice")) {
            alice.send("{\"action\":\"joinGroup\",");
            JsonNode error = alice.next("error");
            assertThat(error.path("code").asText(), is("invalid-json"));
            alice.send("[1,2,3]"); // JSON, but not an object
            assertThat(alice.next("error").path("code").asText(), is("bad-request"));
            alice.send(Map.of("action", "ping", "requestId", "still-open"));
            assertThat(alice.next("pong").path("requestId").asText(), is("still-open"));
        }
    }

    @Test
    void unknownActionAndMissingActionAreErrorsEchoingTheRequestId() {
        try (ChatClient alice = connect("alice")) {
            alice.send(Map.of("action", "dance", "requestId", 7));
            JsonNode error = alice.next("error");
            assertThat(error.path("code").asText(), is("unknown-action"));
            assertThat(error.path("requestId").asInt(), is(7));
            alice.send(Map.of("groupId", "x", "requestId", "no-action"));
            assertThat(alice.next("error").path("requestId").asText(), is("no-action"));
            alice.send(Map.of("action", 42));
            assertThat(alice.next("error").path("code").asText(), is("bad-request"));
        }
    }

    @Test
    void oversizedMessageIsRefusedButTheLimitItselfIsFine() {
        try (ChatClient alice = connect("alice")) {
            join(alice, "size-g");
            alice.send(Map.of("action", "sendMessage", "message", "x".repeat(4097), "requestId", "big"));
            JsonNode error = alice.next("error");
            assertThat(error.path("code").asText(), is("message-too-long"));
            assertThat(error.path("requestId").asText(), is("big"));
            // 4096 Hangul syllables: 4096 characters, 12 KB of UTF-8, more than NOTIFY carries (sent by reference)
            String korean = "가".repeat(4096);
            alice.send(Map.of("action", "sendMessage", "message", korean, "requestId", "max"));
            assertThat(alice.next("ack").path("requestId").asText(), is("max"));
            assertThat(alice.next("message").path("message").asText(), is(korean));
        }
    }

    @Test
    void frameOverTheFrameLimitClosesWith1009() {
        try (ChatClient alice = connect("alice")) {
            alice.send("{\"action\":\"sendMessage\",\"message\":\"" + "y".repeat(70_000) + "\"}");
            assertThat(alice.next("error").path("code").asText(), is("frame-too-large"));
            assertThat(alice.awaitClose(), is(1009));
        }
    }

    @Test
    void wrongTypesAndHostileValuesAreValidationErrors() {
        try (ChatClient alice = connect("alice")) {
            alice.send(Map.of("action", "joinGroup", "groupId", "g'; DROP TABLE chat_messages;--"));
            assertThat(alice.next("error").path("code").asText(), is("validation"));
            alice.send(Map.of("action", "joinGroup", "groupId", 12));
            assertThat(alice.next("error").path("code").asText(), is("validation"));
            alice.send(Map.of("action", "joinGroup", "groupId", "g".repeat(65)));
            assertThat(alice.next("error").path("code").asText(), is("validation"));
            join(alice, "types-g");
            alice.send(Map.of("action", "sendMessage", "message", List.of("not", "a", "string")));
            assertThat(alice.next("error").path("code").asText(), is("validation"));
            alice.send(Map.of("action", "sendMessage", "message", "   "));
            assertThat(alice.next("error").path("code").asText(), is("validation"));
            alice.send(Map.of("action", "joinGroup", "groupId", "types-g", "sinceSeq", "five"));
            assertThat(alice.next("error").path("code").asText(), is("validation"));
            alice.send(Map.of("action", "editMessage", "messageId", "not-a-uuid", "message", "x"));
            assertThat(alice.next("error").path("code").asText(), is("not-found"));
        }
    }

    @Test
    void postingRequiresHavingJoined() {
        try (ChatClient alice = connect("alice")) {
            alice.send(Map.of("action", "sendMessage", "message", "hello?"));
            assertThat(alice.next("error").path("code").asText(), is("not-joined"));
            join(alice, "joined-g");
            alice.send(Map.of("action", "sendMessage", "groupId", "other-g", "message", "sneaky"));
            assertThat(alice.next("error").path("code").asText(), is("not-joined"));
        }
    }

    @Test
    void editingOrDeletingSomeoneElsesMessageIsRefused() {
        try (ChatClient alice = connect("alice"); ChatClient bob = connect("bob")) {
            join(alice, "edit-g");
            join(bob, "edit-g");
            alice.send(Map.of("action", "sendMessage", "message", "original"));
            String id = alice.next("ack").path("messageId").asText();
            bob.next("message");

            bob.send(Map.of("action", "editMessage", "messageId", id, "message", "hijacked", "requestId", "e1"));
            JsonNode refused = bob.next("error");
            assertThat(refused.path("code").asText(), is("forbidden"));
            assertThat(refused.path("requestId").asText(), is("e1"));
            bob.send(Map.of("action", "deleteMessage", "messageId", id));
            assertThat(bob.next("error").path("code").asText(), is("forbidden"));

            alice.send(Map.of("action", "editMessage", "messageId", id, "message", "fixed"));
            assertThat(alice.next("ack").path("seq").asLong(), is(2L));
            JsonNode edited = bob.next("edited");
            assertThat(edited.path("message").asText(), is("fixed"));
            assertThat(edited.path("messageSeq").asLong(), is(1L));
            assertThat(edited.path("seq").asLong(), is(2L));

            alice.send(Map.of("action", "deleteMessage", "messageId", id));
            JsonNode deleted = bob.next("deleted");
            assertThat(deleted.path("messageId").asText(), is(id));
            alice.send(Map.of("action", "editMessage", "messageId", id, "message", "again"));
            assertThat(alice.next("error").path("code").asText(), is("conflict"));
        }
    }

    @Test
    void typingReachesTheOthersButNotTheTypist() {
        try (ChatClient alice = connect("alice"); ChatClient bob = connect("bob")) {
            join(alice, "typing-g");
            join(bob, "typing-g");
            alice.send(Map.of("action", "typing", "groupId", "typing-g"));
            JsonNode typing = bob.next("typing");
            assertThat(typing.path("user").path("id").asText(), is("alice"));
            assertThat(alice.drain("typing", Duration.ofMillis(300)), empty());
        }
    }

    @Test
    void markReadIsStoredAndAnnounced() throws Exception {
        try (ChatClient alice = connect("alice"); ChatClient bob = connect("bob")) {
            join(alice, "read-g");
            join(bob, "read-g");
            alice.send(Map.of("action", "sendMessage", "message", "read me"));
            bob.next("message");
            bob.send(Map.of("action", "markRead", "groupId", "read-g", "seq", 1));
            assertThat(bob.next("ack").path("seq").asLong(), is(1L));
            JsonNode read = alice.next("read");
            assertThat(read.path("user").path("id").asText(), is("bob"));
            bob.send(Map.of("action", "markRead", "groupId", "read-g", "seq", 0)); // never moves back
            assertThat(bob.next("ack").path("seq").asLong(), is(1L));
            bob.send(Map.of("action", "markRead", "groupId", "read-g", "seq", Long.MAX_VALUE)); // nor past the last message
            assertThat(bob.next("ack").path("seq").asLong(), is(1L));
            bob.send(Map.of("action", "markRead", "groupId", "no-such-read-g", "seq", 1));
            assertThat(bob.next("error").path("code").asText(), is("not-found"));
            JsonNode group = getJson("/chat/groups/read-g", tokens.token("alice"), 200);
            assertThat(group.path("reads").path("bob").asLong(), is(1L));
        }
    }

    @Test
    void historyOverTheSocketAndOverRest() throws Exception {
        try (ChatClient alice = connect("alice")) {
            join(alice, "hist-g");
            for (int i = 1; i <= 5; i++) {
                alice.send(Map.of("action", "sendMessage", "message", "m" + i));
                alice.next("ack");
            }
            alice.send(Map.of("action", "history", "groupId", "hist-g", "limit", 2, "requestId", "h"));
            JsonNode page = alice.next("history");
            assertThat(page.path("requestId").asText(), is("h"));
            assertThat(page.path("messages").get(0).path("seq").asLong(), is(4L));
            assertThat(page.path("hasMore").asBoolean(), is(true));
        }
        String token = tokens.token("carol");
        JsonNode latest = getJson("/chat/groups/hist-g/messages?limit=2", token, 200);
        assertThat(seqs(latest), is(List.of(4L, 5L)));
        assertThat(latest.path("hasMore").asBoolean(), is(true));
        assertThat(seqs(getJson("/chat/groups/hist-g/messages?before=4&limit=2", token, 200)), is(List.of(2L, 3L)));
        assertThat(seqs(getJson("/chat/groups/hist-g/messages?after=3", token, 200)), is(List.of(4L, 5L)));
        assertThat(seqs(getJson("/chat/groups/hist-g/messages?after=1&before=4", token, 200)), is(List.of(2L, 3L)));
        // the Link header leads to the next older page, or onwards for an after= read; none on the last page
        assertThat(link("/chat/groups/hist-g/messages?limit=2", token), is("</chat/groups/hist-g/messages?limit=2&before=4>; rel=\"next\""));
        assertThat(link("/chat/groups/hist-g/messages?after=1&limit=2", token),
                   is("</chat/groups/hist-g/messages?limit=2&after=3>; rel=\"next\""));
        assertThat(link("/chat/groups/hist-g/messages?before=2&limit=2", token), is(""));
        getJson("/chat/groups/hist-g/messages?limit=0", token, 400);
        getJson("/chat/groups/hist-g/messages?before=abc", token, 400);
        getJson("/chat/groups/no-such-group/messages", token, 404);
        getJson("/chat/groups/hist-g/messages", null, 401);
        getJson("/chat/groups/hist-g/messages", "not.a.jwt", 401);
    }

    @Test
    void privateGroupsNeedAnInvitationFromTheCreator() throws Exception {
        try (ChatClient alice = connect("alice"); ChatClient bob = connect("bob"); ChatClient eve = connect("eve")) {
            alice.send(Map.of("action", "joinGroup", "groupId", "secret-g", "private", true));
            assertThat(alice.next("joined").path("private").asBoolean(), is(true));
            bob.send(Map.of("action", "joinGroup", "groupId", "secret-g"));
            assertThat(bob.next("error").path("code").asText(), is("forbidden"));
            getJson("/chat/groups/secret-g/messages", tokens.token("bob"), 403);
            eve.send(Map.of("action", "invite", "groupId", "secret-g", "userId", "eve"));
            assertThat(eve.next("error").path("code").asText(), is("forbidden")); // only the creator invites
            alice.send(Map.of("action", "invite", "groupId", "secret-g", "userId", "bob"));
            alice.next("ack");
            join(bob, "secret-g");
            getJson("/chat/groups/secret-g/messages", tokens.token("bob"), 200);
        }
    }

    @Test
    void rateLimitAnswersWithAnErrorFrame() {
        try (ChatClient alice = connect("alice")) {
            for (int i = 0; i < 40; i++) {
                alice.send(Map.of("action", "ping", "requestId", i));
            }
            JsonNode limited = alice.next("error");
            assertThat(limited.path("code").asText(), is("rate-limited"));
        }
    }

    @Test
    void upgradeWithoutOrWithABadTokenIs401NotA404() {
        assertThat(handshakeStatus(Map.of()), is(401));
        assertThat(handshakeStatus(Map.of("Authorization", "Bearer not.a.token")), is(401));
        assertThat(handshakeStatus(Map.of("Authorization", "Basic YWxpY2U6c2VjcmV0")), is(401));
        TestTokens stranger = TestTokens.create(); // signed by a key this server does not trust
        assertThat(handshakeStatus(Map.of("Authorization", "Bearer " + stranger.token("alice"))), is(401));
    }

    @Test
    void upgradeFromAnOriginNotAllowedIs403() {
        assertThat(handshakeStatus(Map.of("Origin", "https://evil.example", "Authorization", "Bearer " + tokens.token("alice"))),
                   is(403));
        try (ChatClient ok = ChatClient.connect(server.ws(), Map.of("Origin", ChatTestServer.ALLOWED_ORIGIN,
                                                                     "Authorization", "Bearer " + tokens.token("alice")), List.of())) {
            join(ok, "origin-g");
        }
    }

    /**
     * A page this server served (the web app at /) opens the socket from whatever address the server was reached
     * at, not listed in cors.allowed-origins: its Origin names the Host it is sent to. Tried: the same host on
     * another port, and another host, both still 403.
     */
    @Test
    void upgradeFromThePagesOwnOriginIsAdmittedWithoutBeingListed() {
        String authority = server.ws().getAuthority(); // what the client sends as Host
        try (ChatClient same = ChatClient.connect(server.ws(), Map.of("Origin", "http://" + authority,
                                                                       "Authorization", "Bearer " + tokens.token("alice")), List.of())) {
            join(same, "same-origin-g");
        }
        String host = server.ws().getHost();
        assertThat(handshakeStatus(Map.of("Origin", "http://" + host + ":1", "Authorization", "Bearer " + tokens.token("alice"))),
                   is(403));
        assertThat(handshakeStatus(Map.of("Origin", "http://" + authority + ".evil.example",
                                          "Authorization", "Bearer " + tokens.token("alice"))), is(403));
    }

    @Test
    void tokenInTheQueryOrInTheSubprotocolWorks() {
        URI withQuery = URI.create(server.ws() + "?token=" + tokens.token("alice"));
        try (ChatClient c = ChatClient.connect(withQuery, Map.of(), List.of())) {
            join(c, "query-g");
        }
        try (ChatClient c = ChatClient.connect(server.ws(), Map.of(), List.of("bearer", tokens.token("bob")))) {
            assertThat(c.socket().getSubprotocol(), is("bearer"));
            join(c, "query-g");
        }
    }

    @Test
    void plainHttpGetOnTheSocketPathIs426() throws Exception {
        HttpResponse<String> res = ChatClient.HTTP.send(HttpRequest.newBuilder(server.http("/chat/ws"))
                                                                .header("Authorization", "Bearer " + tokens.token("alice")).build(),
                                                        HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode(), is(426));
        assertThat(res.headers().firstValue("Content-Type").orElse(""), is("application/problem+json"));
    }

    @Test
    void serverAnswersClientPings() throws Exception {
        try (ChatClient alice = connect("alice")) {
            alice.socket().sendPing(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII))).get(5, TimeUnit.SECONDS);
            ByteBuffer pong = alice.pongs.poll(10, TimeUnit.SECONDS);
            assertThat(pong, notNullValue());
            assertThat(StandardCharsets.US_ASCII.decode(pong).toString(), is("hi"));
        }
    }

    @Test
    void metricsAreExported() throws Exception {
        try (ChatClient alice = connect("alice")) {
            join(alice, "metrics-g");
            HttpResponse<String> res = ChatClient.HTTP.send(HttpRequest.newBuilder(server.http("/observe/metrics")).build(),
                                                            HttpResponse.BodyHandlers.ofString());
            assertThat(res.body(), containsString("chat_websocket_connections"));
            assertThat(res.body(), containsString("chat_slow_consumers_closed_total"));
            assertThat(res.body(), containsString("chat_messages_received_total"));
            assertThat(ChatMetrics.get().openConnections(), greaterThan(0));
        }
    }

    private int handshakeStatus(Map<String, String> headers) {
        CompletionException e = assertThrows(CompletionException.class, () -> ChatClient.connect(server.ws(), headers, List.of()));
        Throwable cause = e.getCause();
        assertThat(cause.toString(), cause instanceof WebSocketHandshakeException, is(true));
        return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }

    private JsonNode getJson(String path, String token, int status) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(server.http(path));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = ChatClient.HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(path + " -> " + res.body(), res.statusCode(), is(status));
        return Json.parse(res.body());
    }

    private String link(String path, String token) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(server.http(path)).header("Authorization", "Bearer " + token).build();
        return ChatClient.HTTP.send(req, HttpResponse.BodyHandlers.discarding()).headers().firstValue("Link").orElse("");
    }

    private static List<Long> seqs(JsonNode page) {
        List<Long> seqs = new java.util.ArrayList<>();
        page.path("messages").forEach(m -> seqs.add(m.path("seq").asLong()));
        assertThat(seqs, hasSize(page.path("messages").size()));
        return seqs;
    }
}
