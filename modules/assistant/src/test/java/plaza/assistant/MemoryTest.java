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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import plaza.assistant.model.ChatMessage;
import plaza.assistant.model.SummaryPrompts;
import plaza.assistant.model.TokenEstimator;
import plaza.platform.PlazaServer;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Memory against the fake upstream with a small context (700 tokens, 100 reserved: 600 per
 * request): what the upstream receives for a long conversation (system prompt, summary, latest
 * whole turns), the summary checkpoint, and the window without a summary when summarizing fails.
 */
@ServerTest
class MemoryTest {

    static final int BUDGET = 600;
    static final TestTokens TOKENS = TestTokens.create();
    static final FakeUpstream UPSTREAM = new FakeUpstream();
    static AssistantService service;
    final ApiClient api;

    MemoryTest(Http1Client http) {
        this.api = new ApiClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = ApiClient.config(Map.of(
                "assistant.provider.base-url", UPSTREAM.baseUrl(),
                "assistant.provider.model", "fake-model",
                "assistant.provider.retry-backoff", "PT0.01S",
                "assistant.models.0.name", "fake-model",
                "assistant.models.0.context-tokens", "700",
                "assistant.memory.reserve-tokens", "100"));
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

    static String question(int n) {
        String q = "Question " + n + ": ";
        return q + ("please tell me more about topic number " + n + " and why it matters ").repeat(4).substring(0, 160 - q.length());
    }

    @Test
    void longConversationSendsSystemPromptSummaryAndTheLatestWholeTurns() {
        String token = TOKENS.token("mia");
        String id = api.conversation(token, "{}");
        String systemPrompt = api.get("/ai/conversations/" + id, token).json().path("systemPrompt").asText();
        for (int n = 1; n <= 10; n++) {
            var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"" + question(n) + "\"}");
            assertThat(reply.text(), reply.status(), is(201));
        }

        // A checkpoint was made: the model was asked to fold the OLDEST turns, and it was stored.
        List<JsonNode> summaries = UPSTREAM.summaryRequests();
        assertThat(summaries.size(), greaterThan(0));
        String transcript = summaries.getFirst().path("messages").get(summaries.getFirst().path("messages").size() - 1)
                .path("content").asText();
        assertThat(transcript, containsString("User: Question 1:"));
        assertThat(transcript, containsString("Assistant: Fake upstream reply number 1 "));
        assertThat(transcript, not(containsString("Question 10:")));
        JsonNode conversation = api.get("/ai/conversations/" + id, token).json();
        assertThat(conversation.path("summary").asText(), startsWith("Summary " + summaries.size() + ":"));
        assertThat(conversation.path("messages").size(), is(20)); // history keeps everything

        // The last reply request: system prompt, summary, whole latest turns, the new message — within budget.
        JsonNode last = UPSTREAM.replyRequests().getLast().path("messages");
        List<ChatMessage> sent = new ArrayList<>();
        last.forEach(m -> sent.add(new ChatMessage(m.path("role").asText(), m.path("content").asText())));
        assertThat(sent.get(0), is(ChatMessage.system(systemPrompt)));
        assertThat(sent.get(1).role(), is("system"));
        assertThat(sent.get(1).content(), is(SummaryPrompts.SUMMARY_PREFIX + "\n" + conversation.path("summary").asText()));
        assertThat(sent.getLast(), is(ChatMessage.user(question(10))));
        List<ChatMessage> turns = sent.subList(2, sent.size() - 1);
        assertThat(turns.size() % 2, is(0));
        assertThat(turns.size(), greaterThan(0));
        int firstQuestion = 10 - turns.size() / 2;
        for (int i = 0; i < turns.size(); i += 2) {
            int n = firstQuestion + i / 2;
            assertThat(turns.get(i), is(ChatMessage.user(question(n))));               // consecutive, newest last
            assertThat(turns.get(i + 1).role(), is("assistant"));                         // never split
            assertThat(turns.get(i + 1).content(), containsString("reply number " + n + " "));
        }
        assertThat(TokenEstimator.messages(sent), lessThanOrEqualTo(BUDGET));
        // Nothing older than the window is sent raw: question 1 lives only in the summary.
        assertThat(last.toString(), not(containsString("Question 1:")));
    }

    @Test
    void whenSummarizingFailsTheWindowStillDropsOldestWholeTurns() {
        String token = TOKENS.token("noah");
        String id = api.conversation(token, "{}");
        for (int n = 1; n <= 6; n++) {
            assertThat(api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"" + question(n) + "\"}").status(), is(201));
        }
        assertThat(UPSTREAM.summaryRequests().size(), is(0));
        // From the 7th message on the window passes 80% of the budget and every summary call fails
        // (three attempts each); the replies still work, and from the 9th the window must drop turns.
        FakeUpstream.Fail fail = new FakeUpstream.Fail(500, "{}", Map.of());
        for (int n = 7; n <= 10; n++) {
            UPSTREAM.enqueue(fail, fail, fail);
            var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"" + question(n) + "\"}");
            assertThat(reply.status(), is(201));
        }
        assertThat(UPSTREAM.summaryRequests().size(), is(12));
        assertThat(api.get("/ai/conversations/" + id, token).json().path("summary").isNull(), is(true));
        JsonNode sent = UPSTREAM.replyRequests().getLast().path("messages");
        assertThat(sent.get(0).path("role").asText(), is("system"));
        assertThat(sent.get(1).path("role").asText(), is("user")); // no summary message
        assertThat(sent.get(sent.size() - 1).path("content").asText(), is(question(10)));
        assertThat((sent.size() - 1) % 2, is(1)); // whole turns (pairs) + the new message
        List<ChatMessage> messages = new ArrayList<>();
        sent.forEach(m -> messages.add(new ChatMessage(m.path("role").asText(), m.path("content").asText())));
        assertThat(TokenEstimator.messages(messages), lessThanOrEqualTo(BUDGET));
        assertThat(sent.toString(), not(containsString("Question 1:")));
    }

    @Test
    void aMessageThatCannotFitTheContextIs400() {
        String token = TOKENS.token("olga");
        String id = api.conversation(token, "{}");
        var reply = api.post("/ai/conversations/" + id + "/messages", token, "{\"content\":\"" + "z".repeat(3000) + "\"}");
        assertThat(reply.status(), is(400));
        assertThat(reply.json().path("type").asText(), containsString("message-too-long"));
        assertThat(UPSTREAM.requests().size(), is(0));
    }
}
