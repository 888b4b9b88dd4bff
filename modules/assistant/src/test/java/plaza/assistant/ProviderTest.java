package plaza.assistant;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import plaza.assistant.model.TokenEstimator;
import plaza.platform.PlazaServer;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * The OpenAI-compatible provider against a real HTTP server speaking the streaming protocol:
 * what it sends, usage from the last chunk or estimated, retries, and failures (500, 400, slow
 * headers, a stream that stalls) that answer 502/504 and leave nothing of the turn behind.
 */
@ServerTest
class ProviderTest {

    static final TestTokens TOKENS = TestTokens.create();
    static final FakeUpstream UPSTREAM = new FakeUpstream();
    static AssistantService service;
    final ApiClient api;
    final URI uri;
    final String token = TOKENS.token("paula");

    ProviderTest(Http1Client http, URI uri) {
        this.api = new ApiClient(http);
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = ApiClient.config(Map.of(
                "assistant.provider.base-url", UPSTREAM.baseUrl(),
                "assistant.provider.api-key", "test-key",
                "assistant.provider.model", "fake-model",
                "assistant.provider.response-timeout", "PT1S",
                "assistant.provider.stall-timeout", "PT1S",
                "assistant.provider.retry-backoff", "PT0.01S"));
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
    void sendsAStreamingRequestAndReportsTheProvidersUsage() {
        String id = api.conversation(token, "{}");
        var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"Hello upstream\"}");
        assertThat(reply.text(), reply.status(), is(201));
        JsonNode request = UPSTREAM.requests().getFirst();
        assertThat(request.path("model").asText(), is("fake-model"));
        assertThat(request.path("stream").asBoolean(), is(true));
        assertThat(request.path("stream_options").path("include_usage").asBoolean(), is(true));
        assertThat(request.path("messages").get(0).path("role").asText(), is("system"));
        assertThat(request.path("messages").get(1).path("content").asText(), is("Hello upstream"));
        assertThat(UPSTREAM.authorizations().getFirst(), is("Bearer test-key"));
        assertThat(reply.json().path("content").asText(), containsString("Fake upstream reply number 1"));
        assertThat(reply.json().path("usage").path("input_tokens").asInt(), is(123));
        assertThat(reply.json().path("usage").path("output_tokens").asInt(), is(45));
        assertThat(reply.json().path("usage").path("estimated").asBoolean(), is(false));
    }

    @Test
    void aReplyWithNulFromTheProviderIsStoredWithoutIt() {
        // Before: the NUL reached PostgreSQL with the reply and the turn failed.
        String id = api.conversation(token, "{}");
        UPSTREAM.enqueue(new FakeUpstream.Reply("odd \u0000 bytes \u0007 here", new int[]{5, 5}, Duration.ZERO, "stop"));
        var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"Hello\"}");
        assertThat(reply.text(), reply.status(), is(201));
        assertThat(reply.json().path("content").asText(), is("odd \uFFFD bytes \uFFFD here"));
        assertThat(api.get("/ai/conversations/" + id, token).json().path("messages").get(1).path("content").asText(),
                   is("odd \uFFFD bytes \uFFFD here"));
    }

    @Test
    void consecutiveRepliesReuseOneKeptAliveUpstreamConnection() {
        String id = api.conversation(token, "{}");
        UPSTREAM.endOfBodyDelay(Duration.ofMillis(30)); // the chunked body ends a little after [DONE]
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"again " + i + "\"}").status(), is(201));
        }
        // each stream is read to its end after [DONE], so its connection goes back to the pool instead of being closed
        assertThat(UPSTREAM.clientPorts().size(), is(3));
        assertThat(Set.copyOf(UPSTREAM.clientPorts()).size(), is(1));
    }

    @Test
    void usageIsEstimatedWhenTheProviderSendsNone() {
        String id = api.conversation(token, "{}");
        String text = "Four score and seven years ago";
        UPSTREAM.enqueue(new FakeUpstream.Reply(text, null, Duration.ZERO, "stop"));
        var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"Quote something\"}");
        assertThat(reply.status(), is(201));
        assertThat(reply.json().path("usage").path("estimated").asBoolean(), is(true));
        assertThat(reply.json().path("usage").path("output_tokens").asInt(), is(TokenEstimator.text(text)));
        assertThat(reply.json().path("usage").path("input_tokens").asInt(), greaterThan(0));
    }

    @Test
    void aReplyCutAtTheOutputLimitIsMarkedTruncated() {
        String id = api.conversation(token, "{}");
        UPSTREAM.enqueue(new FakeUpstream.Reply("This is cut", new int[]{10, 3}, Duration.ZERO, "length"));
        var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"Long answer please\"}");
        assertThat(reply.json().path("status").asText(), is("truncated"));
    }

    @Test
    void upstream500Is502AfterRetriesAndNothingIsSaved() {
        String id = api.conversation(token, "{}");
        FakeUpstream.Fail fail = new FakeUpstream.Fail(500, "{\"error\":{\"message\":\"boom\"}}", Map.of());
        UPSTREAM.enqueue(fail, fail, fail);
        var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"will fail\"}");
        assertThat(reply.status(), is(502));
        assertThat(reply.header("Content-Type"), is("application/problem+json"));
        assertThat(reply.json().path("type").asText(), containsString("provider-error"));
        assertThat(reply.json().path("detail").asText(), containsString("500: boom"));
        assertThat(UPSTREAM.requests().size(), is(3)); // first try + 2 retries
        assertThat(api.get("/ai/conversations/" + id, token).json().path("messages").size(), is(0));
        JsonNode usage = api.get("/ai/usage", token).json().path("days");
        boolean failedCallRecorded = false;
        for (JsonNode day : usage) {
            failedCallRecorded |= day.path("failedCalls").asInt() > 0;
        }
        assertThat(failedCallRecorded, is(true));
    }

    @Test
    void transient503And429AreRetried() {
        String id = api.conversation(token, "{}");
        UPSTREAM.enqueue(new FakeUpstream.Fail(503, "{}", Map.of()), new FakeUpstream.Fail(429, "{}", Map.of("Retry-After", "0")));
        var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"retry me\"}");
        assertThat(reply.text(), reply.status(), is(201));
        assertThat(UPSTREAM.requests().size(), is(3));
        assertThat(api.get("/ai/conversations/" + id, token).json().path("messages").size(), is(2));
    }

    @Test
    void upstream400IsNotRetried() {
        String id = api.conversation(token, "{}");
        UPSTREAM.enqueue(new FakeUpstream.Fail(400, "{\"error\":{\"message\":\"model not found\"}}", Map.of()));
        var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"bad model\"}");
        assertThat(reply.status(), is(502));
        assertThat(reply.json().path("detail").asText(), containsString("model not found"));
        assertThat(UPSTREAM.requests().size(), is(1));
    }

    @Test
    void slowHeadersAre504AndNothingIsSaved() {
        String id = api.conversation(token, "{}");
        UPSTREAM.enqueue(new FakeUpstream.SlowHeaders(Duration.ofSeconds(3), new FakeUpstream.Reply("late", null, Duration.ZERO, "stop")));
        var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"too slow\"}");
        assertThat(reply.status(), is(504));
        assertThat(reply.json().path("type").asText(), containsString("provider-timeout"));
        assertThat(api.get("/ai/conversations/" + id, token).json().path("messages").size(), is(0));
    }

    @Test
    void aStreamThatStallsIs504AndNothingIsSaved() {
        String id = api.conversation(token, "{}");
        UPSTREAM.enqueue(new FakeUpstream.Stall("I started to answer and then"));
        var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"stall\"}");
        assertThat(reply.status(), is(504));
        assertThat(reply.json().path("detail").asText(), containsString("sent nothing"));
        assertThat(api.get("/ai/conversations/" + id, token).json().path("messages").size(), is(0));
    }

    @Test
    void sseStallAfterTheFirstTokensEndsWithAnErrorEventAndNothingSaved() {
        String id = api.conversation(token, "{}");
        UPSTREAM.enqueue(new FakeUpstream.Stall("partial words here"));
        var response = api.sse("/ai/conversations/" + id + "/messages", token, "{\"content\":\"stall over sse\"}");
        assertThat(response.status(), is(200));
        List<ApiClient.Event> events = ApiClient.events(response.text());
        assertThat(events.getFirst().name(), is("delta"));
        assertThat(events.getLast().name(), is("error"));
        assertThat(events.getLast().data().path("status").asInt(), is(504));
        assertThat(api.get("/ai/conversations/" + id, token).json().path("messages").size(), is(0));
    }

    @Test
    void sseUpstream500IsA502StatusBeforeAnyEvent() {
        String id = api.conversation(token, "{}");
        FakeUpstream.Fail fail = new FakeUpstream.Fail(500, "oops", Map.of());
        UPSTREAM.enqueue(fail, fail, fail);
        var response = api.sse("/ai/conversations/" + id + "/messages", token, "{\"content\":\"fail over sse\"}");
        assertThat(response.status(), is(502));
        assertThat(response.header("Content-Type"), is("application/problem+json"));
    }

    @Test
    void sseStreamsTheProvidersChunksAndUsage() {
        String id = api.conversation(token, "{}");
        UPSTREAM.enqueue(new FakeUpstream.Reply("one two three four", new int[]{20, 4}, Duration.ZERO, "stop"));
        var response = api.sse("/ai/conversations/" + id + "/messages", token, "{\"content\":\"count\"}");
        List<ApiClient.Event> events = ApiClient.events(response.text());
        assertThat(events.stream().filter(e -> e.name().equals("delta")).map(e -> e.data().path("text").asText()).toList(),
                   is(List.of("one ", "two ", "three ", "four")));
        JsonNode done = events.getLast().data();
        assertThat(done.path("type").asText(), is("done"));
        assertThat(done.path("usage").path("input_tokens").asInt(), is(20));
        assertThat(done.path("usage").path("output_tokens").asInt(), is(4));
    }

    @Test
    void clientDisconnectingMidStreamStillGetsTheFullReplySaved() throws Exception {
        String id = api.conversation(token, "{}");
        String text = "a slow reply that keeps going for a while so the client can leave before it ends";
        UPSTREAM.enqueue(new FakeUpstream.Reply(text, new int[]{30, 17}, Duration.ofMillis(40), "stop"));
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(uri.resolve("/ai/conversations/" + id + "/messages"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .header("Accept", "text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"go slowly\"}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode(), is(200));
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(reader.readLine(), is("event: delta"));
        response.body().close(); // leave mid-reply
        client.shutdownNow();

        JsonNode messages = awaitMessages(id, 2);
        assertThat(messages.get(1).path("content").asText(), is(text));
        assertThat(messages.get(1).path("status").asText(), is("complete"));
    }

    private JsonNode awaitMessages(String id, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode messages;
        do {
            messages = api.get("/ai/conversations/" + id, token).json().path("messages");
            if (messages.size() >= count) {
                return messages;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("Only " + messages.size() + " messages saved");
    }
}
