package plaza.assistant;

import java.time.LocalDate;
import java.time.ZoneOffset;
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
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/** Usage records and reports, daily and monthly quotas (429 saying when they reset), admin overrides. */
@ServerTest
class QuotaTest {

    static final TestTokens TOKENS = TestTokens.create();
    static AssistantService service;
    final ApiClient api;
    final String admin = TOKENS.token("root", "admin");

    QuotaTest(Http1Client http) {
        this.api = new ApiClient(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = ApiClient.config(Map.of("assistant.quota.daily-tokens", "40", "assistant.quota.monthly-tokens", "100000"));
        service = ApiClient.service(config, TOKENS.verifier());
        PlazaServer.configure(server, config, List.of(service));
    }

    @AfterAll
    static void close() {
        service.close();
    }

    @Test
    void overTheDailyBudgetIs429SayingWhenItResets() {
        String quinn = TOKENS.token("quinn");
        String id = api.conversation(quinn, "{}");
        var first = api.post("/ai/conversations/" + id + "/messages", quinn, "{\"content\":\"first\"}");
        assertThat(first.status(), is(201));
        int spent = first.json().path("usage").path("input_tokens").asInt() + first.json().path("usage").path("output_tokens").asInt();
        assertThat(spent, greaterThan(40));

        var refused = api.post("/ai/conversations/" + id + "/messages", quinn, "{\"content\":\"second\"}");
        assertThat(refused.status(), is(429));
        assertThat(refused.header("Content-Type"), is("application/problem+json"));
        assertThat(refused.json().path("type").asText(), containsString("quota-exceeded"));
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T00:00:00Z";
        assertThat(refused.json().path("detail").asText(), containsString("daily budget of 40 tokens; it resets at " + tomorrow));
        assertThat(Long.parseLong(refused.header("Retry-After")), greaterThan(0L));
        assertThat(api.sse("/ai/conversations/" + id + "/messages", quinn, "{\"content\":\"streamed\"}").status(), is(429));
        // Nothing of the refused turns was saved.
        assertThat(api.get("/ai/conversations/" + id, quinn).json().path("messages").size(), is(2));

        var quota = api.get("/ai/usage/quota", quinn).json();
        assertThat(quota.path("usedToday").asLong(), is((long) spent));
        assertThat(quota.path("dailyResetsAt").asText(), is(tomorrow));

        // An admin raises quinn's budget; removing the override brings the default back.
        assertThat(api.put("/ai/quotas/quinn", quinn, "{\"dailyTokens\":100000}").status(), is(403));
        assertThat(api.put("/ai/quotas/quinn", admin, "{\"dailyTokens\":-5}").status(), is(400));
        assertThat(api.put("/ai/quotas/quinn", admin, "{\"dailyTokens\":\"lots\"}").status(), is(400));
        var raised = api.put("/ai/quotas/quinn", admin, "{\"dailyTokens\":100000}");
        assertThat(raised.status(), is(200));
        assertThat(raised.json().path("overridden").asBoolean(), is(true));
        assertThat(api.post("/ai/conversations/" + id + "/messages", quinn, "{\"content\":\"now it works\"}").status(), is(201));
        assertThat(api.delete("/ai/quotas/quinn", admin).status(), is(204));
        assertThat(api.delete("/ai/quotas/quinn", admin).status(), is(404));
        assertThat(api.post("/ai/conversations/" + id + "/messages", quinn, "{\"content\":\"blocked again\"}").status(), is(429));
    }

    @Test
    void monthlyBudgetIsEnforcedToo() {
        String mo = TOKENS.token("mo");
        assertThat(api.put("/ai/quotas/mo", admin, "{\"dailyTokens\":0,\"monthlyTokens\":10}").status(), is(200));
        String id = api.conversation(mo, "{}");
        assertThat(api.post("/ai/conversations/" + id + "/messages", mo, "{\"content\":\"one\"}").status(), is(201));
        var refused = api.post("/ai/conversations/" + id + "/messages", mo, "{\"content\":\"two\"}");
        assertThat(refused.status(), is(429));
        String nextMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1) + "T00:00:00Z";
        assertThat(refused.json().path("detail").asText(), containsString("monthly budget of 10 tokens; it resets at " + nextMonth));
    }

    @Test
    void streamedRepliesCountExactlyLikeOthersInTheUsageReport() {
        String sam = TOKENS.token("sam");
        String id = api.conversation(sam, "{}");
        var json = api.post("/ai/conversations/" + id + "/messages", sam, "{\"content\":\"plain\"}").json().path("usage");
        // The daily budget (40) is already used up by the first reply, so raise it for this user.
        api.put("/ai/quotas/sam", admin, "{\"dailyTokens\":100000}");
        var events = ApiClient.events(api.sse("/ai/conversations/" + id + "/messages", sam, "{\"content\":\"streamed\"}").text());
        JsonNode streamed = events.getLast().data().path("usage");
        long expectedInput = json.path("input_tokens").asLong() + streamed.path("input_tokens").asLong();
        long expectedOutput = json.path("output_tokens").asLong() + streamed.path("output_tokens").asLong();

        JsonNode report = api.get("/ai/usage", sam).json();
        assertThat(report.path("totals").path("calls").asLong(), is(2L));
        assertThat(report.path("totals").path("inputTokens").asLong(), is(expectedInput));
        assertThat(report.path("totals").path("outputTokens").asLong(), is(expectedOutput));
        JsonNode day = report.path("days").get(0);
        assertThat(day.path("model").asText(), is("plaza-local"));
        assertThat(day.path("day").asText(), is(LocalDate.now(ZoneOffset.UTC).toString()));
        assertThat(day.path("totalTokens").asLong(), is(expectedInput + expectedOutput));

        // Admins can read anyone's usage; others only their own.
        assertThat(api.get("/ai/usage?userId=sam", admin).json().path("totals").path("inputTokens").asLong(), is(expectedInput));
        assertThat(api.get("/ai/usage?userId=sam", TOKENS.token("eve")).status(), is(403));
        assertThat(api.get("/ai/usage?userId=sam", sam).status(), is(200));
        assertThat(api.get("/ai/quotas/sam", sam).status(), is(403));
        assertThat(api.get("/ai/quotas/sam", admin).json().path("dailyLimit").asLong(), is(100000L));
    }

    @Test
    void badUsageQueriesAre400() {
        String eve = TOKENS.token("eve");
        assertThat(api.get("/ai/usage?from=yesterday", eve).status(), is(400));
        assertThat(api.get("/ai/usage?from=2026-02-01&to=2026-01-01", eve).status(), is(400));
        assertThat(api.get("/ai/usage?from=2020-01-01&to=2026-01-01", eve).status(), is(400));
        var empty = api.get("/ai/usage?from=2020-01-01&to=2020-01-31", eve);
        assertThat(empty.status(), is(200));
        assertThat(empty.json().path("days").size(), is(0));
    }

    @Test
    void toAloneIsThatMonthUpToThen() {
        // was a 400 ("to: must not be before from", from defaulting to this month's first), found by ApiAccessTest
        var report = api.get("/ai/usage?to=2020-03-17", TOKENS.token("eve"));
        assertThat(report.status(), is(200));
        assertThat(report.json().path("from").asText(), is("2020-03-01"));
        assertThat(report.json().path("to").asText(), is("2020-03-17"));
    }
}
