package plaza.chat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
 * The AsyncAPI description of /chat/ws (META-INF/asyncapi/chat.yaml) against the running protocol: the actions the
 * server dispatches (the list its unknown-action error names) are exactly the documented ones, each documented
 * action is accepted, a session using every action produces every documented frame type, and every frame it
 * receives validates against its documented message. Served at /asyncapi/chat.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncApiDescriptionTest {

    private final TestTokens tokens = TestTokens.create();
    private final AsyncApiContract contract = AsyncApiContract.of("chat");
    private ChatTestServer server;

    @BeforeAll
    void start() {
        server = ChatTestServer.start(ChatTestServer.config(Map.of("chat.rate.per-second", "1000", "chat.rate.burst", "1000")),
                                      tokens.verifier());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void theDocumentIsConsistent() {
        assertThat(String.join("\n", contract.problems()), contract.problems(), empty());
        assertThat(contract.closeCodes().containsAll(Set.of(1001, 1008, 1009, 1013)), is(true));
    }

    @Test
    void theDispatchedActionsAreTheDocumentedOnes() {
        try (ChatClient alice = ChatClient.connect(server.ws(), tokens.token("alice"))) {
            alice.send("{\"action\":\"fly\",\"requestId\":\"u\"}");
            JsonNode error = alice.next("error");
            assertThat(error.path("code").asText(), is("unknown-action"));
            String list = error.path("message").asText().replaceFirst(".*use one of ", "").replaceFirst("\\.$", "");
            Set<String> dispatched = Arrays.stream(list.split(",")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
            assertThat(dispatched, is(contract.actions()));
            for (String action : contract.actions()) {
                alice.send(Map.of("action", action, "requestId", "doc-" + action));
                JsonNode answer = alice.next(f -> f.path("requestId").asText().equals("doc-" + action), ChatClient.WAIT);
                assertThat(action + ": " + answer, answer.path("code").asText(), not("unknown-action"));
            }
        }
    }

    @Test
    void aSessionOfEveryActionGetsEveryDocumentedFrameTypeEachValid() throws Exception {
        List<Map<String, Object>> sent = new ArrayList<>();
        try (ChatClient alice = ChatClient.connect(server.ws(), tokens.token("alice"));
             ChatClient bob = ChatClient.connect(server.ws(), tokens.token("bob"))) {
            send(alice, sent, Map.of("action", "joinGroup", "groupId", "doc-g", "requestId", "j1"));
            alice.next("joined");
            send(bob, sent, Map.of("action", "joinGroup", "groupId", "doc-g", "requestId", 7));
            bob.next("joined");
            send(alice, sent, Map.of("action", "sendMessage", "groupId", "doc-g", "message", "안녕하세요!", "requestId", "s1"));
            String messageId = alice.next("ack").path("messageId").asText();
            bob.next("message");
            send(alice, sent, Map.of("action", "editMessage", "messageId", messageId, "message", "안녕!", "requestId", "e1"));
            alice.next("ack");
            bob.next("edited");
            send(alice, sent, Map.of("action", "typing", "groupId", "doc-g", "typing", true, "requestId", "t1"));
            alice.next("ack");
            bob.next("typing");
            send(bob, sent, Map.of("action", "markRead", "groupId", "doc-g", "seq", 1, "requestId", "m1"));
            bob.next("ack");
            alice.next("read");
            send(alice, sent, Map.of("action", "deleteMessage", "messageId", messageId, "requestId", "d1"));
            alice.next("ack");
            bob.next("deleted");
            send(alice, sent, Map.of("action", "history", "groupId", "doc-g", "limit", 10, "requestId", "h1"));
            alice.next("history");
            send(alice, sent, Map.of("action", "joinGroup", "groupId", "doc-private", "private", true));
            alice.next("joined");
            send(alice, sent, Map.of("action", "invite", "groupId", "doc-private", "userId", "bob", "requestId", "i1"));
            alice.next("ack");
            send(alice, sent, Map.of("action", "auth", "token", tokens.token("alice"), "requestId", "a1"));
            alice.next("authenticated");
            send(alice, sent, Map.of("action", "ping", "requestId", "p1"));
            alice.next("pong");
            send(bob, sent, Map.of("action", "leaveGroup", "groupId", "doc-g"));
            bob.next("left");
            alice.next(f -> "presence".equals(f.path("type").asText()) && "leave".equals(f.path("event").asText()), ChatClient.WAIT);
            alice.send("{\"action\":\"sendMessage\",\"message\":\"\"}");
            alice.next("error");

            List<String> problems = new ArrayList<>();
            Set<String> seen = new TreeSet<>();
            for (ChatClient c : List.of(alice, bob)) {
                synchronized (c.received) {
                    for (JsonNode frame : c.received) {
                        seen.add(frame.path("type").asText());
                        problems.addAll(contract.frameProblems(frame));
                    }
                }
            }
            for (Map<String, Object> action : sent) {
                problems.addAll(contract.actionProblems(Json.MAPPER.valueToTree(action)));
            }
            assertThat(String.join("\n", problems), problems, empty());
            assertThat(seen, is(contract.frameTypes()));
        }
    }

    @Test
    void servesTheDocument() throws Exception {
        HttpResponse<String> yaml = get("/asyncapi/chat");
        assertThat(yaml.statusCode(), is(200));
        assertThat(yaml.body(), containsString("asyncapi: 3.0.0"));
        HttpResponse<String> json = get("/asyncapi/chat?format=json");
        assertThat(json.headers().firstValue("content-type").orElse(""), containsString("json"));
        assertThat(new ObjectMapper().readTree(json.body()), is((JsonNode) new ObjectMapper().valueToTree(AsyncApiDescriptions.document("chat"))));
        HttpResponse<String> bad = get("/asyncapi/chat?format=xml");
        assertThat(bad.statusCode(), is(400));
        assertThat(bad.headers().firstValue("content-type").orElse(""), containsString("problem+json"));
    }

    private static void send(ChatClient client, List<Map<String, Object>> sent, Map<String, Object> action) {
        sent.add(new LinkedHashMap<>(action));
        client.send(action);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return ChatClient.HTTP.send(HttpRequest.newBuilder(server.http(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
