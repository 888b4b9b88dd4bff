package plaza.assistant;

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
import static org.hamcrest.Matchers.is;

/** Prompt templates: own and shared (admin-managed), visibility, variables rendered into a conversation's system prompt. */
@ServerTest
class PromptsTest {

    static final TestTokens TOKENS = TestTokens.create();
    static AssistantService service;
    final ApiClient api;
    final String admin = TOKENS.token("root", "admin");
    final String pat = TOKENS.token("pat");
    final String kim = TOKENS.token("kim");

    PromptsTest(Http1Client http) {
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
    void ownPromptsAreCrudAndPrivate() {
        var created = api.post("/ai/prompts", pat, "{\"name\":\"Translator\",\"template\":\"Translate into {{ language }} for a {{audience}} reader.\"}");
        assertThat(created.status(), is(201));
        JsonNode prompt = created.json();
        assertThat(prompt.path("variables").toString(), is("[\"language\",\"audience\"]"));
        assertThat(prompt.path("shared").asBoolean(), is(false));
        String id = prompt.path("id").asText();

        assertThat(api.get("/ai/prompts/" + id, kim).status(), is(404));
        assertThat(api.patch("/ai/prompts/" + id, kim, "{\"name\":\"stolen\"}").status(), is(404));
        assertThat(api.delete("/ai/prompts/" + id, kim).status(), is(404));

        var updated = api.patch("/ai/prompts/" + id, pat, "{\"description\":\"for travel\"}");
        assertThat(updated.status(), is(200));
        assertThat(updated.json().path("description").asText(), is("for travel"));
        assertThat(updated.json().path("name").asText(), is("Translator"));

        var rendered = api.post("/ai/prompts/" + id + "/render", pat, "{\"variables\":{\"language\":\"Korean\",\"audience\":\"young\"}}");
        assertThat(rendered.json().path("text").asText(), is("Translate into Korean for a young reader."));

        assertThat(api.delete("/ai/prompts/" + id, pat).status(), is(204));
        assertThat(api.get("/ai/prompts/" + id, pat).status(), is(404));
    }

    @Test
    void sharedPromptsAreManagedByAdminsAndSeenByEveryone() {
        assertThat(api.post("/ai/prompts", pat, "{\"name\":\"Shared\",\"template\":\"x\",\"shared\":true}").status(), is(403));
        var shared = api.post("/ai/prompts", admin, "{\"name\":\"Tutor\",\"template\":\"You are a patient {{subject}} tutor.\",\"shared\":true}");
        assertThat(shared.status(), is(201));
        String id = shared.json().path("id").asText();
        assertThat(api.get("/ai/prompts/" + id, kim).status(), is(200));
        boolean listed = false;
        for (JsonNode p : api.get("/ai/prompts", kim).json().path("items")) {
            listed |= p.path("id").asText().equals(id) && p.path("shared").asBoolean();
        }
        assertThat(listed, is(true));
        assertThat(api.patch("/ai/prompts/" + id, kim, "{\"name\":\"mine\"}").status(), is(403));
        assertThat(api.delete("/ai/prompts/" + id, kim).status(), is(403));
        assertThat(api.patch("/ai/prompts/" + id, admin, "{\"shared\":false}").status(), is(400));
        assertThat(api.patch("/ai/prompts/" + id, admin, "{\"name\":\"Tutor 2\"}").status(), is(200));
    }

    @Test
    void aConversationStartedFromAPromptUsesItAsItsSystemPrompt() {
        String id = api.post("/ai/prompts", pat, "{\"name\":\"Chef\",\"template\":\"You are a chef who cooks {{cuisine}} food. Keep it under {{limit}} words.\"}")
                .json().path("id").asText();
        var missing = api.post("/ai/conversations", pat, "{\"promptId\":\"" + id + "\",\"variables\":{\"cuisine\":\"Thai\"}}");
        assertThat(missing.status(), is(400));
        assertThat(missing.json().path("detail").asText(), containsString("variables.limit"));

        var created = api.post("/ai/conversations", pat, "{\"promptId\":\"" + id + "\",\"variables\":{\"cuisine\":\"Thai {{limit}}\",\"limit\":50}}");
        assertThat(created.status(), is(201));
        assertThat(created.json().path("title").asText(), is("Chef"));
        // Values are inserted as-is, never re-expanded.
        assertThat(created.json().path("systemPrompt").asText(), is("You are a chef who cooks Thai {{limit}} food. Keep it under 50 words."));
        String conversation = created.json().path("id").asText();
        assertThat(api.post("/ai/conversations/" + conversation + "/messages", pat, "{\"content\":\"dinner?\"}").status(), is(201));

        // Someone else's private prompt cannot be used.
        assertThat(api.post("/ai/conversations", kim, "{\"promptId\":\"" + id + "\"}").status(), is(400));
    }

    @Test
    void badPromptInputIs400() {
        assertThat(api.post("/ai/prompts", pat, "{\"name\":\"\",\"template\":\"x\"}").status(), is(400));
        assertThat(api.post("/ai/prompts", pat, "{\"name\":\"n\"}").status(), is(400));
        assertThat(api.post("/ai/prompts", pat, "{\"name\":\"n\",\"template\":\"" + "t".repeat(20_001) + "\"}").status(), is(400));
        assertThat(api.post("/ai/prompts", pat, "{\"name\":\"n\",\"template\":\"x\",\"shared\":\"yes\"}").status(), is(400));
        assertThat(api.get("/ai/prompts/123", pat).status(), is(400));
        assertThat(api.delete("/ai/prompts", pat).status(), is(405));
    }
}
