package plaza.assistant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** Conversations CRUD, ownership and bad input, and replies from plaza-local (JSON and SSE), offline. */
@ServerTest
class ConversationsTest {

    static final TestTokens TOKENS = TestTokens.create();
    static AssistantService service;
    final ApiClient api;
    final String alice = TOKENS.token("alice");
    final String bob = TOKENS.token("bob");

    ConversationsTest(Http1Client http) {
        this.api = new ApiClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = ApiClient.config(Map.of());
        service = ApiClient.service(config, TOKENS.verifier());
        PlazaServer.configure(server, config, List.of(service));
    }

    @AfterAll
    static void close() {
        service.close();
    }

    @Test
    void createGetRenameDelete() {
        var created = api.post("/ai/conversations", alice, "{\"title\":\"Trip planning\"}");
        assertThat(created.status(), is(201));
        JsonNode c = created.json();
        assertThat(c.path("title").asText(), is("Trip planning"));
        assertThat(c.path("model").asText(), is("plaza-local"));
        assertThat(c.path("messages").size(), is(0));
        String id = c.path("id").asText();
        assertThat(created.header("Location"), is("/ai/conversations/" + id));

        var renamed = api.patch("/ai/conversations/" + id, alice, "{\"title\":\"Japan in April\"}");
        assertThat(renamed.status(), is(200));
        assertThat(api.get("/ai/conversations/" + id, alice).json().path("title").asText(), is("Japan in April"));

        assertThat(api.post("/ai/conversations/" + id + "/messages", alice, "{\"content\":\"hello\"}").status(), is(201));
        assertThat(api.delete("/ai/conversations/" + id, alice).status(), is(204));
        assertThat(api.get("/ai/conversations/" + id, alice).status(), is(404));
        assertThat(api.delete("/ai/conversations/" + id, alice).status(), is(404));
    }

    @Test
    void listIsNewestFirstAndPaged() {
        String carol = TOKENS.token("carol");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api.conversation(carol, "{\"title\":\"c" + i + "\"}"));
        }
        // Activity moves a conversation to the top.
        api.post("/ai/conversations/" + ids.get(1) + "/messages", carol, "{\"content\":\"bump\"}");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = api.get("/ai/conversations?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), carol);
            assertThat(page.text(), page.status(), is(200));
            page.json().path("items").forEach(item -> seen.add(item.path("id").asText()));
            cursor = page.json().path("nextCursor").isMissingNode() ? null : page.json().path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages, is(3));
        assertThat(seen, is(List.of(ids.get(1), ids.get(4), ids.get(3), ids.get(2), ids.get(0))));
    }

    @Test
    void anotherUsersConversationIsNotFound() {
        String id = api.conversation(alice, "{}");
        assertThat(api.get("/ai/conversations/" + id, bob).status(), is(404));
        assertThat(api.patch("/ai/conversations/" + id, bob, "{\"title\":\"mine now\"}").status(), is(404));
        assertThat(api.delete("/ai/conversations/" + id, bob).status(), is(404));
        assertThat(api.post("/ai/conversations/" + id + "/messages", bob, "{\"content\":\"hi\"}").status(), is(404));
        assertThat(api.sse("/ai/conversations/" + id + "/messages", bob, "{\"content\":\"hi\"}").status(), is(404));
        var bobsList = api.get("/ai/conversations", bob).json().path("items");
        for (JsonNode item : bobsList) {
            assertThat(item.path("id").asText(), not(id));
        }
        // Still there for alice.
        assertThat(api.get("/ai/conversations/" + id, alice).status(), is(200));
    }

    @Test
    void malformedInputIs400() {
        String id = api.conversation(alice, "{}");
        // malformed JSON, wrong types, 10k-char title, unknown model, blank and missing content, bad ids and cursors
        assertThat(api.post("/ai/conversations", alice, "{\"title\":").status(), is(400));
        assertThat(api.post("/ai/conversations", alice, "{\"title\":[1,2]}").status(), is(400));
        assertThat(api.post("/ai/conversations", alice, "{\"title\":\"" + "x".repeat(10_000) + "\"}").status(), is(400));
        assertThat(api.post("/ai/conversations", alice, "{\"model\":\"gpt-17\"}").json().path("detail").asText(), containsString("model"));
        assertThat(api.post("/ai/conversations", alice, "{\"promptId\":\"not-a-uuid\"}").status(), is(400));
        assertThat(api.post("/ai/conversations", alice, "{\"variables\":{\"a\":{\"nested\":true}}}").status(), is(400));
        assertThat(api.post("/ai/conversations/" + id + "/messages", alice, "{\"content\":\"\"}").status(), is(400));
        assertThat(api.post("/ai/conversations/" + id + "/messages", alice, "{}").status(), is(400));
        assertThat(api.post("/ai/conversations/" + id + "/messages", alice, "{\"content\":42}").status(), is(400));
        assertThat(api.post("/ai/conversations/" + id + "/messages", alice, "{\"content\":\"" + "y".repeat(40_000) + "\"}").status(), is(400));
        assertThat(api.post("/ai/conversations/" + id + "/messages", alice, "not json").status(), is(400));
        assertThat(api.patch("/ai/conversations/" + id, alice, "{\"title\":\"  \"}").status(), is(400));
        assertThat(api.get("/ai/conversations/not-a-uuid", alice).status(), is(400));
        assertThat(api.get("/ai/conversations?cursor=%27%3B%20drop%20table%20conversations", alice).status(), is(400));
        assertThat(api.get("/ai/conversations?limit=1000", alice).status(), is(400));
        var problem = api.post("/ai/conversations", alice, "{\"title\":");
        assertThat(problem.header("Content-Type"), is("application/problem+json"));
        // Nothing half-written: alice's conversation still has no messages.
        assertThat(api.get("/ai/conversations/" + id, alice).json().path("messages").size(), is(0));
    }

    @Test
    void sqlInjectionLookingTitleIsStoredVerbatim() {
        String title = "x'); drop table conversations; --";
        String id = api.conversation(alice, "{\"title\":\"" + title + "\"}");
        assertThat(api.get("/ai/conversations/" + id, alice).json().path("title").asText(), is(title));
    }

    @Test
    void withoutTokenIs401() {
        assertThat(api.get("/ai/conversations", null).status(), is(401));
        assertThat(api.post("/ai/conversations", "garbage.token.here", "{}").status(), is(401));
    }

    @Test
    void localModelAnswersWithUsageAndHistoryKeepsTheTurn() {
        String id = api.conversation(alice, "{}");
        var reply = api.post("/ai/conversations/" + id + "/messages", alice, "{\"content\":\"What is Plaza?\"}");
        assertThat(reply.status(), is(201));
        JsonNode r = reply.json();
        assertThat(r.path("content").asText(), containsString("You said: \"What is Plaza?\""));
        assertThat(r.path("status").asText(), is("complete"));
        assertThat(r.path("model").asText(), is("plaza-local"));
        assertThat(r.path("usage").path("input_tokens").asInt(), greaterThan(0));
        assertThat(r.path("usage").path("output_tokens").asInt(), greaterThan(5));
        assertThat(r.path("usage").path("estimated").asBoolean(), is(false));

        // Deterministic: the same input in a fresh conversation gives the same text.
        String other = api.conversation(alice, "{}");
        var again = api.post("/ai/conversations/" + other + "/messages", alice, "{\"content\":\"What is Plaza?\"}");
        assertThat(again.json().path("content").asText(), is(r.path("content").asText()));

        JsonNode history = api.get("/ai/conversations/" + id, alice).json().path("messages");
        assertThat(history.size(), is(2));
        assertThat(history.get(0).path("role").asText(), is("user"));
        assertThat(history.get(0).path("content").asText(), is("What is Plaza?"));
        assertThat(history.get(1).path("id").asText(), is(r.path("messageId").asText()));

        var second = api.post("/ai/conversations/" + id + "/messages", alice, "{\"content\":\"And again?\"}");
        assertThat(second.json().path("content").asText(), containsString("I was sent 2 earlier messages"));
    }

    @Test
    void localModelStreamsAsServerSentEvents() {
        String id = api.conversation(alice, "{}");
        var response = api.sse("/ai/conversations/" + id + "/messages", alice, "{\"content\":\"stream please\"}");
        assertThat(response.status(), is(200));
        assertThat(response.header("Content-Type"), startsWith("text/event-stream"));
        List<ApiClient.Event> events = ApiClient.events(response.text());
        assertThat(events.size(), greaterThan(5));
        List<ApiClient.Event> deltas = events.subList(0, events.size() - 1);
        assertThat(deltas.stream().map(ApiClient.Event::name).toList(), everyItem(is("delta")));
        StringBuilder text = new StringBuilder();
        deltas.forEach(e -> text.append(e.data().path("text").asText()));
        ApiClient.Event done = events.getLast();
        assertThat(done.name(), is("done"));
        assertThat(done.data().path("usage").path("output_tokens").asInt(), is(deltas.size()));
        JsonNode saved = api.get("/ai/conversations/" + id, alice).json().path("messages").get(1);
        assertThat(saved.path("content").asText(), is(text.toString()));
        assertThat(saved.path("id").asText(), is(done.data().path("messageId").asText()));
    }

    @Test
    void modelsAreListed() {
        var models = api.get("/ai/models", alice);
        assertThat(models.status(), is(200));
        assertThat(models.json().path("default").asText(), is("plaza-local"));
        assertThat(models.json().path("items").size(), is(1));
        assertThat(api.post("/ai/models", alice, "{}").status(), is(405));
    }
}
