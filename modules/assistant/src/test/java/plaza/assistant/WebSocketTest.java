package plaza.assistant;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.http.Json;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

/** {@code /ai/ws} against the fake upstream: auth in the upgrade, deltas and done, cancel, disconnect, bad frames. */
@ServerTest
class WebSocketTest {

    static final TestTokens TOKENS = TestTokens.create();
    static final FakeUpstream UPSTREAM = new FakeUpstream();
    static AssistantService service;
    final ApiClient api;
    final URI ws;
    final String token = TOKENS.token("wendy");

    WebSocketTest(Http1Client http, URI uri) {
        this.api = new ApiClient(http);
        this.ws = URI.create("ws://localhost:" + uri.getPort() + "/ai/ws");
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = ApiClient.config(Map.of(
                "assistant.provider.base-url", UPSTREAM.baseUrl(),
                "assistant.provider.model", "fake-model",
                "cors.allowed-origins", "http://good.example"));
        service = ApiClient.service(config, TOKENS.verifier());
        PlazaServer.configure(server, config, List.of(service));
    }

    @AfterAll
    static void close() {
        service.close();
        UPSTREAM.close();
    }

    @BeforeEach
    void reset() {
        UPSTREAM.reset();
    }

    @Test
    void messageStreamsDeltasThenDone() throws Exception {
        String id = api.conversation(token, "{}");
        UPSTREAM.enqueue(new FakeUpstream.Reply("alpha beta gamma", new int[]{11, 3}, Duration.ZERO, "stop"));
        Frames frames = connect(Map.of("Authorization", "Bearer " + token), null);
        assertThat(frames.next().path("type").asText(), is("connected"));
        frames.send("{\"action\":\"message\",\"conversationId\":\"" + id + "\",\"content\":\"greek letters\",\"requestId\":\"r1\"}");
        StringBuilder text = new StringBuilder();
        JsonNode frame;
        while ((frame = frames.next()).path("type").asText().equals("delta")) {
            assertThat(frame.path("requestId").asText(), is("r1"));
            text.append(frame.path("text").asText());
        }
        assertThat(frame.path("type").asText(), is("done"));
        assertThat(frame.path("requestId").asText(), is("r1"));
        assertThat(frame.path("usage").path("input_tokens").asInt(), is(11));
        assertThat(frame.path("usage").path("output_tokens").asInt(), is(3));
        assertThat(text.toString(), is("alpha beta gamma"));
        JsonNode saved = api.get("/ai/conversations/" + id, token).json().path("messages").get(1);
        assertThat(saved.path("id").asText(), is(frame.path("messageId").asText()));
        frames.close();
    }

    @Test
    void tokenInTheQueryOrAsSubprotocolIsAccepted() throws Exception {
        Frames query = connect(Map.of(), "?token=" + token);
        assertThat(query.next().path("userId").asText(), is("wendy"));
        query.close();

        Frames subprotocol = connect(Map.of(), null, "bearer", token);
        assertThat(subprotocol.socket.getSubprotocol(), is("bearer"));
        assertThat(subprotocol.next().path("type").asText(), is("connected"));
        subprotocol.close();

        Frames allowedOrigin = connect(Map.of("Origin", "http://good.example"), "?token=" + token);
        assertThat(allowedOrigin.next().path("type").asText(), is("connected"));
        allowedOrigin.close();
    }

    @Test
    void upgradeWithoutAValidTokenIs401AndFromAnotherOriginIs403() {
        assertThat(refusedStatus(Map.of(), null), is(401));
        assertThat(refusedStatus(Map.of(), "?token=not.a.jwt"), is(401));
        assertThat(refusedStatus(Map.of("Authorization", "Bearer " + TOKENS.token("x").replace('a', 'b')), null), is(401));
        assertThat(refusedStatus(Map.of("Origin", "https://evil.example"), "?token=" + token), is(403));
        // Plain HTTP on the WebSocket path: a 426 problem+json, with a token or without.
        var plain = api.get("/ai/ws", null);
        assertThat(plain.status(), is(426));
        assertThat(plain.header("Content-Type"), is("application/problem+json"));
        assertThat(api.get("/ai/ws", token).status(), is(426));
    }

    @Test
    void cancelKeepsThePartialReplyMarkedCancelled() throws Exception {
        String id = api.conversation(token, "{}");
        String full = "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 w29 w30";
        UPSTREAM.enqueue(new FakeUpstream.Reply(full, new int[]{50, 30}, Duration.ofMillis(60), "stop"));
        Frames frames = connect(Map.of("Authorization", "Bearer " + token), null);
        frames.next();
        frames.send("{\"action\":\"message\",\"conversationId\":\"" + id + "\",\"content\":\"count to thirty\",\"requestId\":\"long\"}");
        StringBuilder received = new StringBuilder();
        received.append(frames.next().path("text").asText());
        received.append(frames.next().path("text").asText());
        frames.send("{\"action\":\"cancel\",\"requestId\":\"long\"}");
        JsonNode frame;
        while ((frame = frames.next()).path("type").asText().equals("delta")) {
            received.append(frame.path("text").asText());
        }
        assertThat(frame.path("type").asText(), is("done"));
        assertThat(frame.path("status").asText(), is("cancelled"));
        assertThat(frame.path("usage").path("estimated").asBoolean(), is(true));
        JsonNode saved = api.get("/ai/conversations/" + id, token).json().path("messages").get(1);
        assertThat(saved.path("status").asText(), is("cancelled"));
        assertThat(saved.path("content").asText(), is(received.toString()));
        assertThat(saved.path("content").asText().length(), lessThan(full.length()));
        assertThat(saved.path("content").asText(), startsWith("w1 w2 "));
        frames.close();
    }

    @Test
    void disconnectMidReplyStillSavesTheFullReply() throws Exception {
        String id = api.conversation(token, "{}");
        String full = "this reply goes on after the client has gone away and is saved all the same";
        UPSTREAM.enqueue(new FakeUpstream.Reply(full, new int[]{25, 16}, Duration.ofMillis(40), "stop"));
        Frames frames = connect(Map.of("Authorization", "Bearer " + token), null);
        frames.next();
        frames.send("{\"action\":\"message\",\"conversationId\":\"" + id + "\",\"content\":\"talk\",\"requestId\":\"r\"}");
        assertThat(frames.next().path("type").asText(), is("delta"));
        frames.socket.abort(); // vanish mid-reply

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode messages = api.get("/ai/conversations/" + id, token).json().path("messages");
        while (messages.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            messages = api.get("/ai/conversations/" + id, token).json().path("messages");
        }
        assertThat(messages.size(), is(2));
        assertThat(messages.get(1).path("content").asText(), is(full));
        assertThat(messages.get(1).path("status").asText(), is("complete"));
    }

    @Test
    void badFramesGetErrorFramesAndTheConnectionStaysOpen() throws Exception {
        String other = api.conversation(TOKENS.token("someone-else"), "{}");
        Frames frames = connect(Map.of("Authorization", "Bearer " + token), null);
        frames.next();
        frames.send("{not json");
        assertThat(frames.next().path("status").asInt(), is(400));
        frames.send("{\"action\":\"dance\"}");
        assertThat(frames.next().path("status").asInt(), is(400));
        frames.send("[1,2,3]");
        assertThat(frames.next().path("status").asInt(), is(400));
        frames.send("{\"action\":\"message\",\"conversationId\":\"'; drop table messages; --\",\"content\":\"x\",\"requestId\":\"a\"}");
        assertThat(frames.next().path("status").asInt(), is(400));
        frames.send("{\"action\":\"message\",\"conversationId\":\"" + other + "\",\"content\":\"mine?\",\"requestId\":\"b\"}");
        JsonNode notFound = frames.next();
        assertThat(notFound.path("status").asInt(), is(404));
        assertThat(notFound.path("requestId").asText(), is("b"));
        frames.send("{\"action\":\"message\",\"conversationId\":\"" + other + "\",\"content\":42,\"requestId\":\"c\"}");
        assertThat(frames.next().path("status").asInt(), is(400));
        // The platform's text and number rules reach frames too: NUL (PostgreSQL refuses it), a lone surrogate, 1e309.
        String mine = api.conversation(token, "{}");
        frames.send("{\"action\":\"message\",\"conversationId\":\"" + mine + "\",\"content\":\"hi\\u0000\",\"requestId\":\"d\"}");
        assertThat(frames.next().path("detail").asText(), is("content: must not contain NUL (U+0000)"));
        frames.send("{\"action\":\"message\",\"conversationId\":\"" + mine + "\",\"content\":\"\\ud800\",\"requestId\":\"e\"}");
        assertThat(frames.next().path("status").asInt(), is(400));
        frames.send("{\"action\":\"ping\",\"requestId\":1e309}");
        assertThat(frames.next().path("detail").asText(), is("requestId: is out of range (numbers must be at most 1.7976931348623157e308 in size)"));
        assertThat(api.get("/ai/conversations/" + mine, token).json().path("messages").size(), is(0));
        frames.send("{\"action\":\"cancel\",\"requestId\":\"nothing-running\"}");
        assertThat(frames.next().path("status").asInt(), is(404));
        frames.send("{\"action\":\"ping\"}");
        assertThat(frames.next().path("type").asText(), is("pong"));
        assertThat(api.get("/ai/conversations/" + other, TOKENS.token("someone-else")).json().path("messages").size(), is(0));
        frames.close();
    }

    private int refusedStatus(Map<String, String> headers, String query) {
        try {
            connect(headers, query).close();
            throw new AssertionError("The upgrade was accepted");
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    @Test
    void theConnectionEndsWith1008WhenItsTokenExpires() throws Exception {
        Frames frames = connect(Map.of("Authorization", "Bearer " + TOKENS.tokenExpiringIn("brief", Duration.ofSeconds(2))), null);
        JsonNode hello = frames.next();
        assertThat(hello.path("type").asText(), is("connected"));
        assertThat(hello.has("expiresAt"), is(true));
        JsonNode error = frames.next();
        assertThat(error.path("type").asText(), is("error"));
        assertThat(error.path("problem").asText(), org.hamcrest.Matchers.endsWith("token-expired"));
        assertThat(frames.closedWith.get(10, TimeUnit.SECONDS), is(1008));
    }

    @Test
    void authWithAFreshTokenKeepsTheConnectionAndRefusesOthers() throws Exception {
        Frames frames = connect(Map.of("Authorization", "Bearer " + TOKENS.tokenExpiringIn("renewer", Duration.ofSeconds(2))), null);
        assertThat(frames.next().path("type").asText(), is("connected"));
        // Bad inputs first: another user's token, a forged one, a number, none.
        frames.send("{\"action\":\"auth\",\"token\":\"" + TOKENS.token("other") + "\"}");
        assertThat(frames.next().path("status").asInt(), is(403));
        frames.send("{\"action\":\"auth\",\"token\":\"" + TestTokens.create().token("renewer") + "\"}");
        assertThat(frames.next().path("status").asInt(), is(401));
        frames.send("{\"action\":\"auth\",\"token\":7}");
        assertThat(frames.next().path("status").asInt(), is(400));
        frames.send("{\"action\":\"auth\"}");
        assertThat(frames.next().path("status").asInt(), is(400));
        frames.send("{\"action\":\"auth\",\"requestId\":\"a1\",\"token\":\"" + TOKENS.tokenExpiringIn("renewer", Duration.ofSeconds(60)) + "\"}");
        JsonNode ok = frames.next();
        assertThat(ok.path("type").asText(), is("authenticated"));
        assertThat(ok.path("requestId").asText(), is("a1"));
        Thread.sleep(3500); // past the first token's expiry
        frames.send("{\"action\":\"ping\"}");
        assertThat(frames.next().path("type").asText(), is("pong"));
        assertThat(frames.closedWith.isDone(), is(false));
        frames.close();
    }

    private Frames connect(Map<String, String> headers, String query, String... subprotocols) {
        Frames frames = new Frames();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        frames.socket = builder.buildAsync(query == null ? ws : URI.create(ws + query), frames).join();
        return frames;
    }

    /** Collects text frames as JSON. */
    static final class Frames implements WebSocket.Listener {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        final java.util.concurrent.CompletableFuture<Integer> closedWith = new java.util.concurrent.CompletableFuture<>();
        WebSocket socket;

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedWith.complete(statusCode);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(Json.parse(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        JsonNode next() throws InterruptedException {
            JsonNode frame = received.poll(10, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("No frame within 10 s");
            }
            return frame;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
    }
}
