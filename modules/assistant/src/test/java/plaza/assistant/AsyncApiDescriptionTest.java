package plaza.assistant;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.http.Json;
import plaza.platform.openapi.AsyncApiDescriptions;
import plaza.testing.AsyncApiContract;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The AsyncAPI description of /ai/ws (META-INF/asyncapi/assistant.yaml) against the running protocol: the actions
 * the server dispatches (the list its unknown-action error names) are exactly the documented ones, each documented
 * action is accepted, a session using every action gets every documented frame type, every frame validates against
 * its documented message, and the close after disconnect is a documented code. Served at /asyncapi/assistant.
 */
@ServerTest
class AsyncApiDescriptionTest {

    static final TestTokens TOKENS = TestTokens.create();
    static final FakeUpstream UPSTREAM = new FakeUpstream();
    static AssistantService service;
    private final AsyncApiContract contract = AsyncApiContract.of("assistant");
    private final ApiClient api;
    private final Http1Client http;
    private final URI ws;
    private final String token = TOKENS.token("doris");

    AsyncApiDescriptionTest(Http1Client http, URI uri) {
        this.http = http;
        this.api = new ApiClient(http);
        this.ws = URI.create("ws://localhost:" + uri.getPort() + "/ai/ws");
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = ApiClient.config(Map.of("assistant.provider.base-url", UPSTREAM.baseUrl(),
                                                "assistant.provider.model", "fake-model"));
        service = ApiClient.service(config, TOKENS.verifier());
        PlazaServer.configure(server, config, List.of(service));
    }

    @AfterAll
    static void close() {
        service.close();
        UPSTREAM.close();
    }

    @Test
    void theDocumentIsConsistent() {
        assertThat(String.join("\n", contract.problems()), contract.problems(), empty());
    }

    @Test
    void theDispatchedActionsAreTheDocumentedOnes() throws Exception {
        WebSocketTest.Frames frames = connect();
        frames.next(); // connected
        frames.send("{\"action\":\"fly\",\"requestId\":\"u\"}");
        JsonNode error = frames.next();
        String list = error.path("detail").asText().replaceFirst(".*; use ", "").replaceFirst("\\.$", "");
        Set<String> dispatched = Arrays.stream(list.split(",| or ")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
        assertThat(dispatched, is(contract.actions()));
        for (String action : contract.actions()) {
            if (action.equals("disconnect")) {
                continue; // closes: the session test sends it last
            }
            frames.send(Json.write(Map.of("action", action, "requestId", "doc-" + action)));
            JsonNode answer = frames.next();
            assertThat(action + ": " + answer, answer.path("detail").asText(), not(containsString("Unknown action")));
        }
        frames.socket.abort();
    }

    @Test
    void aSessionOfEveryActionGetsEveryDocumentedFrameTypeEachValid() throws Exception {
        String id = api.conversation(token, "{}");
        UPSTREAM.enqueue(new FakeUpstream.Reply("alpha beta gamma", new int[]{11, 3}, Duration.ZERO, "stop"));
        UPSTREAM.enqueue(new FakeUpstream.Reply("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20",
                                                new int[]{20, 20}, Duration.ofMillis(60), "stop"));
        List<JsonNode> received = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        WebSocketTest.Frames frames = connect();
        received.add(frames.next());
        send(frames, sent, Map.of("action", "message", "conversationId", id, "content", "letters", "requestId", "r1"));
        until(frames, received, "done");
        send(frames, sent, Map.of("action", "message", "conversationId", id, "content", "count", "requestId", "r2"));
        until(frames, received, "delta");
        send(frames, sent, Map.of("action", "cancel", "requestId", "r2"));
        until(frames, received, "done");
        send(frames, sent, Map.of("action", "cancel", "requestId", "r2"));
        until(frames, received, "error");
        send(frames, sent, Map.of("action", "auth", "token", TOKENS.token("doris"), "requestId", "a1"));
        until(frames, received, "authenticated");
        send(frames, sent, Map.of("action", "ping", "requestId", "p1"));
        until(frames, received, "pong");
        send(frames, sent, Map.of("action", "disconnect"));
        int code = frames.closedWith.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(contract.closeCodes().contains(code), is(true));

        List<String> problems = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (JsonNode frame : received) {
            seen.add(frame.path("type").asText());
            problems.addAll(contract.frameProblems(frame));
        }
        for (String action : sent) {
            problems.addAll(contract.actionProblems(Json.parse(action)));
        }
        assertThat(String.join("\n", problems), problems, empty());
        assertThat(seen, is(contract.frameTypes()));
    }

    @Test
    void servesTheDocument() throws Exception {
        try (var res = http.get("/asyncapi/assistant").request()) {
            assertThat(res.status().code(), is(200));
            assertThat(res.as(String.class), containsString("asyncapi: 3.0.0"));
        }
        try (var res = http.get("/asyncapi/assistant").header(io.helidon.http.HeaderNames.ACCEPT, "application/json").request()) {
            assertThat(new ObjectMapper().readTree(res.as(String.class)),
                       is((JsonNode) new ObjectMapper().valueToTree(AsyncApiDescriptions.document("assistant"))));
        }
        try (var res = http.get("/asyncapi/assistant").queryParam("format", "xml").request()) {
            assertThat(res.status().code(), is(400));
            assertThat(res.headers().contentType().orElseThrow().text(), containsString("problem+json"));
        }
    }

    private static void send(WebSocketTest.Frames frames, List<String> sent, Map<String, Object> action) {
        String text = Json.write(action);
        sent.add(text);
        frames.send(text);
    }

    /** Frames up to and including the first of {@code type}, kept. */
    private static void until(WebSocketTest.Frames frames, List<JsonNode> received, String type) throws InterruptedException {
        JsonNode frame;
        do {
            frame = frames.next();
            received.add(frame);
        } while (!frame.path("type").asText().equals(type));
    }

    private WebSocketTest.Frames connect() {
        WebSocketTest.Frames frames = new WebSocketTest.Frames();
        frames.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token).buildAsync(ws, frames).join();
        return frames;
    }
}
