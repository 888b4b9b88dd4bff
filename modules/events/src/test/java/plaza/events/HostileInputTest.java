package plaza.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Hostile input never reaches PostgreSQL as a failing write and never answers 5xx: malformed and
 * truncated JSON, trailing garbage, wrong types for every field, NUL characters and unpaired
 * surrogates (in values and keys), numbers beyond jsonb's range (1e999999, a 2,000-digit integer),
 * nesting past the parser's limit, dates out of range, a non-JSON media type, hostile query
 * parameters. Each is a 4xx problem+json, and afterwards good events still go in (no poisoned group
 * commit). Also overload: a batch larger than the writer's queue is a 503 with Retry-After.
 */
@ServerTest
class HostileInputTest {

    static final TestTokens TOKENS = TestTokens.create();
    static EventsService service;
    final EventsApi api;
    final String token = TOKENS.token("hugo");
    final String admin = TOKENS.token("root", "admin");

    HostileInputTest(Http1Client http) {
        this.api = new EventsApi(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = EventsApi.config(Map.of("events.writer.max-queued-rows", "10"));
        service = EventsApi.service(config, TOKENS.verifier(), Clock.systemUTC());
        PlazaServer.configure(server, config, List.of(service));
    }

    @AfterAll
    static void close() {
        service.close();
    }

    static final List<String> BODIES = List.of(
            "", "{", "{\"event\":", "[]", "null", "42", "\"track\"", "{} {}", "{\"event\":\"E\"} trailing",
            "{\"event\":42}", "{\"event\":[\"E\"]}", "{\"event\":\"E\",\"userId\":7}", "{\"event\":\"E\",\"anonymousId\":{}}",
            "{\"event\":\"E\",\"messageId\":true}", "{\"event\":\"E\",\"properties\":\"x\"}", "{\"event\":\"E\",\"properties\":[1]}",
            "{\"event\":\"E\",\"context\":5}", "{\"event\":\"E\",\"traits\":\"t\"}", "{\"event\":\"E\",\"timestamp\":12345}",
            "{\"event\":\"E\",\"timestamp\":\"yesterday\"}", "{\"event\":\"E\",\"timestamp\":\"+999999999-12-31T23:59:59Z\"}",
            "{\"event\":\"E\",\"timestamp\":\"-999999999-01-01T00:00:00Z\",\"sentAt\":\"+999999999-12-31T23:59:59Z\"}",
            "{\"event\":\"E\",\"sentAt\":\"2026-13-45T99:00:00Z\"}",
            "{\"event\":\"E\\u0000\"}", "{\"event\":\"E\",\"properties\":{\"a\\u0000b\":1}}", "{\"event\":\"E\",\"properties\":{\"s\":\"\\u0000\"}}",
            "{\"event\":\"E\",\"properties\":{\"s\":\"\\ud800\"}}", "{\"event\":\"E\",\"properties\":{\"\\udc00\":1}}",
            "{\"event\":\"E\",\"properties\":{\"n\":1e999999}}", "{\"event\":\"E\",\"properties\":{\"n\":-1e-999999}}",
            "{\"event\":\"E\",\"properties\":{\"n\":" + "9".repeat(2000) + "}}",
            "{\"event\":\"E\",\"properties\":" + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "}",
            "{\"event\":\"" + "x".repeat(201) + "\"}", "{\"event\":\"E\",\"userId\":\"" + "u".repeat(201) + "\"}");

    @Test
    void malformedOrWronglyTypedEventsAre4xxProblems() {
        for (String body : BODIES) {
            for (String path : List.of("/events/track", "/events/v1/track")) {
                var res = api.post(path, token, body);
                assertProblem(path + " " + abbreviate(body), res);
            }
            var batch = api.post("/events/batch", token, "{\"batch\":[" + (body.isBlank() ? "null" : body) + "]}");
            if (batch.status() != 200) {
                assertProblem("batch of " + abbreviate(body), batch);
            }
        }
        for (String body : List.of("{\"batch\":{}}", "{\"batch\":\"x\"}", "{\"batch\":[],\"context\":[]}", "{\"batch\":[],\"sentAt\":5}",
                                   "[{\"type\":\"track\"}]", "{}")) {
            assertProblem("batch " + body, api.post("/events/batch", token, body));
        }
        var xml = api.raw(Method.POST, "/events/track", "Bearer " + token, "<event/>".getBytes(StandardCharsets.UTF_8), "application/xml");
        assertThat(xml.status(), is(415));
        var invalidUtf8 = api.raw(Method.POST, "/events/track", "Bearer " + token, new byte[] {'{', '"', 'e', 'v', 'e', 'n', 't', '"', ':', '"',
                (byte) 0xC3, (byte) 0x28, '"', '}'}, "application/json");
        assertProblem("invalid UTF-8", invalidUtf8);
        // Nothing above broke the writer: a good event still goes in.
        assertThat(api.post("/events/track", token, "{\"event\":\"After\",\"properties\":{\"n\":1e300,\"s\":\"한국어 😀\"}}").status(), is(200));
        var after = api.get("/events/me?event=After", token);
        assertThat(after.text(), after.json().path("items").path(0).path("properties").path("s").asText(), is("한국어 😀"));
    }

    /** Events reads client JSON with the platform's one policy: the same answer as Json.parse gives, for each rule. */
    @Test
    void clientJsonIsJudgedByThePlatformsPolicy() {
        List<String> bodies = List.of(
                "{\"event\":\"E\",\"event\":\"F\"}",                                   // a key twice
                "{\"event\":\"E\",\"properties\":{\"s\":\"a\\u0001b\"}}",            // a C0 control
                "{\"event\":\"E\",\"properties\":{\"s\":\"a\\u0000b\"}}",            // NUL
                "{\"event\":\"E\",\"properties\":{\"s\":\"\\ud800\"}}",              // a lone surrogate
                "{\"event\":\"E\",\"properties\":{\"n\":" + "1".repeat(30) + "}}",    // beyond a long
                "{\"event\":\"E\",\"properties\":" + "[".repeat(70) + "]".repeat(70) + "}"); // nested too deep
        for (String body : bodies) {
            plaza.platform.http.ProblemException platform = org.junit.jupiter.api.Assertions.assertThrows(
                    plaza.platform.http.ProblemException.class, () -> plaza.platform.http.Json.parse(body), body);
            var res = api.post("/events/track", token, body);
            assertThat(body, res.status(), is(400));
            assertThat(body, res.json().path("detail").asText(), is(platform.getMessage()));
        }
        // In a batch a value the policy refuses costs only its event; broken syntax costs the batch.
        var batch = api.post("/events/batch", token, "{\"batch\":[{\"type\":\"track\",\"messageId\":\"pol-1\",\"event\":\"Ok\"},"
                + "{\"type\":\"track\",\"messageId\":\"pol-2\",\"event\":\"Bad\",\"properties\":{\"s\":\"\\u0007\"}}]}");
        assertThat(batch.status(), is(200));
        assertThat(batch.json().path("accepted").asInt(), is(1));
        assertThat(batch.json().path("refused").get(0).path("reason").asText(), is("properties.s: must not contain the control character U+0007"));
        var twice = api.post("/events/batch", token, "{\"batch\":[{\"type\":\"track\",\"event\":\"A\",\"event\":\"B\"}]}");
        assertThat(twice.status(), is(400));
        var sharedContext = api.post("/events/batch", token, "{\"context\":{\"ip\":\"\\u0000\"},\"batch\":[{\"type\":\"track\",\"event\":\"A\"}]}");
        assertThat(sharedContext.status(), is(400));
        assertThat(sharedContext.json().path("errors").get(0).path("field").asText(), is("context.ip"));
    }

    @Test
    void hostileQueryParametersAre4xx() {
        for (String path : List.of("/events/me?limit=-1", "/events/me?limit=99999999999", "/events/me?type=group", "/events/me?cursor=A%00B",
                                   "/events/me?cursor=" + "A".repeat(99), "/events/me?from=2026-02-30", "/events/me?to=10000-01-01T00:00:00Z",
                                   "/events/feed?after=-1", "/events/feed?after=x", "/events/feed?limit=1001",
                                   "/events/stats?from=0", "/events/stats?interval=hour&from=2020-01-01&to=2026-01-01")) {
            assertProblem(path, api.get(path, admin));
        }
        assertProblem("unknown path", api.get("/events/nope", admin));
    }

    @Test
    void aBatchLargerThanTheWriterQueueIs503WithRetryAfterAndNothingIsStored() {
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 11; i++) {
            batch.append(i > 0 ? "," : "").append("{\"type\":\"track\",\"messageId\":\"q-").append(i).append("\",\"event\":\"Q\"}");
        }
        var res = api.post("/events/batch", token, batch.append("]}").toString());
        assertThat(res.status(), is(503));
        assertThat(res.header("retry-after"), notNullValue());
        assertThat(res.contentType(), is("application/problem+json"));
        assertThat(api.get("/events/me?event=Q", token).json().path("items").size(), is(0));
    }

    private static void assertProblem(String what, EventsApi.Response res) {
        assertThat(what + " → " + res.status() + " " + res.text(), res.status(), allOf(greaterThanOrEqualTo(400), lessThan(500)));
        assertThat(what, res.contentType(), is("application/problem+json"));
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
