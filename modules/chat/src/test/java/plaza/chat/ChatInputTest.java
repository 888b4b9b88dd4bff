package plaza.chat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import plaza.testing.HostileInput;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Chat frames and routes under the platform's input policy, against a real PostgreSQL. Bad inputs
 * tried: NUL, a C0 control and a lone surrogate escape in a sent and an edited message (NUL failed the
 * action in PostgreSQL before), 1e309 in a field, duplicate keys, malformed JSON (its error must name
 * no parser class), a token whose sub holds NUL (500 before), {@code ?before=５} and {@code ?limit=+5}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatInputTest {

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

    private static String error(ChatClient c, String code) {
        JsonNode error = c.next("error");
        assertThat(error.toString(), error.path("code").asText(), is(code));
        String message = error.path("message").asText();
        assertThat(message, HostileInput.LEAK.matcher(message).find(), is(false));
        return message;
    }

    @Test
    void framesGetTheSameTextAndNumberRules() {
        try (ChatClient alice = ChatClient.connect(server.ws(), tokens.token("alice"))) {
            alice.send(Map.of("action", "joinGroup", "groupId", "input-g"));
            alice.next("joined");
            alice.send("{\"action\":\"sendMessage\",\"message\":\"a\\u0000b\",\"requestId\":\"r1\"}");
            assertThat(error(alice, "validation"), is("message: must not contain NUL (U+0000)"));
            alice.send("{\"action\":\"sendMessage\",\"message\":\"a\\u001bb\"}");
            assertThat(error(alice, "validation"), containsString("U+001B"));
            alice.send("{\"action\":\"sendMessage\",\"message\":\"\\ud800\"}");
            assertThat(error(alice, "validation"), containsString("unpaired surrogate"));
            alice.send("{\"action\":\"history\",\"groupId\":\"input-g\",\"before\":1e309}");
            assertThat(error(alice, "validation"), containsString("before: is out of range"));
            alice.send("{\"action\":\"sendMessage\",\"message\":\"a\",\"message\":\"b\"}");
            assertThat(error(alice, "invalid-json"), containsString("a key appears twice"));
            alice.send("{\"action\": [");
            assertThat(error(alice, "invalid-json"), containsString("Malformed JSON at line 1"));

            alice.send("{\"action\":\"sendMessage\",\"message\":\"fine\\tline\",\"requestId\":\"r2\"}");
            String id = alice.next("ack").path("messageId").asText();
            alice.send("{\"action\":\"editMessage\",\"messageId\":\"" + id + "\",\"message\":\"edited\\u0000\"}");
            assertThat(error(alice, "validation"), is("message: must not contain NUL (U+0000)"));
            alice.send("{\"action\":\"editMessage\",\"messageId\":\"" + id + "\",\"message\":\"edited\",\"requestId\":\"e1\"}");
            assertThat(alice.next("ack").path("requestId").asText(), is("e1"));
        }
    }

    @Test
    void routesRefuseNulSubjectsAndNonAsciiNumbers() throws Exception {
        String nul = tokens.sign(tokens.claims("alice\u0000").build());
        assertThat(status("/chat/groups/input-h/messages", nul), is(401));
        String alice = tokens.token("alice");
        assertThat(status("/chat/groups/input-h/messages?before=%EF%BC%95", alice), is(400));
        assertThat(status("/chat/groups/input-h/messages?limit=%2B5", alice), is(400));
        assertThat(status("/chat/groups/input-h/messages?limit=5", alice), is(404)); // read, then: no such group
    }

    private int status(String path, String token) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(server.http(path)).header("Authorization", "Bearer " + token).build();
        return ChatClient.HTTP.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
