package plaza.assistant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * Two replicas on one database, as in a deployment. A replica that answered a conversation keeps a
 * copy of it and calls the model before the database has confirmed that copy: when another replica
 * changed the conversation meanwhile (a new turn, a deletion), that early call must be dropped
 * without a trace — no stored message, no usage, no upstream stream left running — and a quota
 * refusal must call no model at all.
 */
@ServerTest
class ReplicasTest {

    static final TestTokens TOKENS = TestTokens.create();
    static final FakeUpstream UPSTREAM = new FakeUpstream();
    static AssistantService serviceA;
    static AssistantService serviceB;
    static WebServer replicaB;
    final ApiClient a;
    final ApiClient b;
    final String admin = TOKENS.token("root", "admin");

    ReplicasTest(Http1Client http) {
        this.a = new ApiClient(http);
        this.b = new ApiClient(Http1Client.builder().baseUri("http://localhost:" + replicaB.port()).build());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = ApiClient.config(Map.of(
                "assistant.provider.base-url", UPSTREAM.baseUrl(),
                "assistant.provider.model", "fake-model",
                "assistant.quota.refresh", "PT60S"));
        serviceA = ApiClient.service(config, TOKENS.verifier());
        PlazaServer.configure(server, config, List.of(serviceA));
        serviceB = ApiClient.service(config, TOKENS.verifier());
        WebServerConfig.Builder other = WebServer.builder();
        PlazaServer.configure(other, config, List.of(serviceB));
        replicaB = other.port(0).build().start();
    }

    @AfterAll
    static void close() {
        replicaB.stop();
        serviceB.close();
        serviceA.close();
        UPSTREAM.close();
    }

    @BeforeEach
    void reset() {
        UPSTREAM.reset();
    }

    @Test
    void aTurnAddedOnAnotherReplicaIsInTheNextWindowAndTheEarlyCallLeavesNoTrace() {
        String token = TOKENS.token("rita");
        String id = a.conversation(token, "{}");
        assertThat(a.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"one\"}").status(), is(201));
        assertThat(b.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"two, via the other replica\"}").status(), is(201));
        // Replica A's copy lacks turn two: its early call is dropped and the reply starts again from the database.
        var third = a.sse("/ai/conversations/" + id + "/messages", token, "{\"content\":\"three\"}");
        assertThat(third.status(), is(200));
        assertThat(ApiClient.events(third.text()).getLast().name(), is("done"));

        JsonNode lastRequest = UPSTREAM.replyRequests().getLast().path("messages");
        List<String> sent = new ArrayList<>();
        lastRequest.forEach(m -> sent.add(m.path("content").asText()));
        assertThat(sent.toString(), containsString("two, via the other replica"));
        assertThat(sent.getLast(), is("three"));

        List<String> stored = new ArrayList<>();
        a.get("/ai/conversations/" + id, token).json().path("messages").forEach(m -> stored.add(m.path("role").asText()
                + (m.path("role").asText().equals("user") ? ":" + m.path("content").asText() : "")));
        assertThat(stored, contains("user:one", "assistant", "user:two, via the other replica", "assistant", "user:three", "assistant"));
        assertThat(a.get("/ai/usage", token).json().path("totals").path("calls").asInt(), is(3)); // the dropped call is not billed
    }

    @Test
    void aConversationDeletedOnAnotherReplicaIs404WithNothingWrittenAndNoStreamLeftRunning() throws Exception {
        String token = TOKENS.token("dora");
        String id = a.conversation(token, "{}");
        assertThat(a.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"one\"}").status(), is(201));
        assertThat(b.delete("/ai/conversations/" + id, token).status(), is(204));
        UPSTREAM.defaultChunkDelay(Duration.ofMillis(100)); // an early call would still be streaming when it is dropped
        int requestsBefore = UPSTREAM.requests().size();
        int goneBefore = UPSTREAM.clientsGone();

        var streamed = a.sse("/ai/conversations/" + id + "/messages", token, "{\"content\":\"two\"}");
        assertThat(streamed.status(), is(404));
        assertThat(streamed.json().path("type").asText(), containsString("not-found"));
        assertThat(a.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"three\"}").status(), is(404));

        // Every request that reached the upstream was cut off (its client went away), none answered to the end.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (UPSTREAM.clientsGone() - goneBefore < UPSTREAM.requests().size() - requestsBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(UPSTREAM.clientsGone() - goneBefore, is(UPSTREAM.requests().size() - requestsBefore));
        assertThat(a.get("/ai/conversations/" + id, token).status(), is(404));
        assertThat(a.get("/ai/usage", token).json().path("totals").path("calls").asInt(), is(1));
    }

    @Test
    void overQuotaWithACachedConversationCallsNoModelAndStoresNothing() {
        String token = TOKENS.token("quincy");
        String id = a.conversation(token, "{}");
        assertThat(a.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"one\"}").status(), is(201));
        // the admin's change reaches replica A's quota cache; the conversation stays cached there
        assertThat(a.put("/ai/quotas/quincy", admin, "{\"dailyTokens\":1}").status(), is(200));
        int requestsBefore = UPSTREAM.requests().size();

        assertThat(a.sse("/ai/conversations/" + id + "/messages", token, "{\"content\":\"two\"}").status(), is(429));
        assertThat(a.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"three\"}").status(), is(429));
        assertThat(UPSTREAM.requests().size(), is(requestsBefore));
        assertThat(a.get("/ai/conversations/" + id, token).json().path("messages").size(), is(2));
        assertThat(a.get("/ai/usage", token).json().path("totals").path("calls").asInt(), is(1));
    }

    @Test
    void repliesOnOneReplicaKeepItsCopyCurrent() {
        String token = TOKENS.token("carl");
        String id = a.conversation(token, "{}");
        for (int i = 0; i < 4; i++) {
            assertThat(a.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"turn " + i + "\"}").status(), is(201));
        }
        // each request carried every earlier turn, in order, and nothing was called twice
        assertThat(UPSTREAM.replyRequests().size(), is(4));
        JsonNode last = UPSTREAM.replyRequests().getLast().path("messages");
        List<String> users = new ArrayList<>();
        last.forEach(m -> {
            if (m.path("role").asText().equals("user")) {
                users.add(m.path("content").asText());
            }
        });
        assertThat(users, contains("turn 0", "turn 1", "turn 2", "turn 3"));
        assertThat(last.size(), greaterThanOrEqualTo(8));
        assertThat(a.get("/ai/usage", token).json().path("totals").path("calls").asInt(), is(4));
    }
}
