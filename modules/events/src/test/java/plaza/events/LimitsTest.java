package plaza.events;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.events.ingest.EventParser;
import plaza.platform.PlazaServer;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Segment's limits, each at the limit and one past it: 32 KB per event (single call and inside a
 * batch), 500 KB per batch, 2,500 events per batch. Calls without a token are rate-limited per
 * client address (429 with Retry-After).
 */
@ServerTest
class LimitsTest {

    static final TestTokens TOKENS = TestTokens.create();
    static EventsService service;
    final EventsApi api;
    final String sam = TOKENS.token("sam");

    LimitsTest(Http1Client http) {
        this.api = new EventsApi(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = EventsApi.config(Map.of(
                "events.anonymous-rate-limit.capacity", "3",
                "events.anonymous-rate-limit.per-second", "0.01"));
        service = EventsApi.service(config, TOKENS.verifier(), java.time.Clock.systemUTC());
        PlazaServer.configure(server, config, List.of(service));
    }

    @AfterAll
    static void close() {
        service.close();
    }

    /** A compact JSON text of exactly {@code bytes} bytes: {@code template} with its PAD replaced by x's. */
    static String sized(String template, int bytes) {
        int fixed = template.length() - "PAD".length();
        return template.replace("PAD", "x".repeat(bytes - fixed));
    }

    @Test
    void aSingleEventMayHave32KB() {
        String at = sized("{\"messageId\":\"big-1\",\"event\":\"E\",\"properties\":{\"p\":\"PAD\"}}", EventParser.MAX_EVENT_BYTES);
        assertThat(at.length(), is(32 * 1024));
        assertThat(api.post("/events/track", sam, at).status(), is(200));
        String over = sized("{\"messageId\":\"big-2\",\"event\":\"E\",\"properties\":{\"p\":\"PAD\"}}", EventParser.MAX_EVENT_BYTES + 1);
        var res = api.post("/events/track", sam, over);
        assertThat(res.status(), is(413));
        assertThat(res.contentType(), is("application/problem+json"));
    }

    @Test
    void anEventInABatchMayHave32KB() {
        String at = sized("{\"type\":\"track\",\"messageId\":\"bb-1\",\"event\":\"E\",\"properties\":{\"p\":\"PAD\"}}", EventParser.MAX_EVENT_BYTES);
        String over = sized("{\"type\":\"track\",\"messageId\":\"bb-2\",\"event\":\"E\",\"properties\":{\"p\":\"PAD\"}}", EventParser.MAX_EVENT_BYTES + 1);
        var res = api.post("/events/batch", sam, "{\"batch\":[" + at + "," + over + "]}");
        assertThat(res.status(), is(200));
        assertThat(res.json().path("accepted").asInt(), is(1));
        assertThat(res.json().path("refused").get(0).path("index").asInt(), is(1));
        assertThat(res.json().path("refused").get(0).path("reason").asText(), containsString("32769 bytes"));
    }

    @Test
    void aBatchMayHave500KB() {
        assertThat(api.post("/events/batch", sam, batchOfBytes("kb500-", EventParser.MAX_BATCH_BYTES)).status(), is(200));
        var over = api.post("/events/batch", sam, batchOfBytes("kb501-", EventParser.MAX_BATCH_BYTES + 1));
        assertThat(over.status(), is(413));
        assertThat(over.json().path("detail").asText(), containsString("512000 bytes"));
    }

    @Test
    void aBatchMayHave2500Events() {
        var at = api.post("/events/batch", sam, batchOfEvents("n2500-", EventParser.MAX_BATCH_EVENTS));
        assertThat(at.status(), is(200));
        assertThat(at.json().path("accepted").asInt(), is(2500));
        var over = api.post("/events/batch", sam, batchOfEvents("n2501-", EventParser.MAX_BATCH_EVENTS + 1));
        assertThat(over.status(), is(400));
        assertThat(over.json().path("errors").get(0).path("field").asText(), is("batch"));
    }

    @Test
    void callsWithoutATokenAreRateLimitedPerAddress() {
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/events/track", null, "{\"event\":\"E\",\"anonymousId\":\"rl\"}").status(), is(200));
        }
        var limited = api.post("/events/track", null, "{\"event\":\"E\",\"anonymousId\":\"rl\"}");
        assertThat(limited.status(), is(429));
        assertThat(limited.header("retry-after"), notNullValue());
        assertThat(limited.contentType(), is("application/problem+json"));
        assertThat(api.post("/events/track", sam, "{\"event\":\"E\"}").status(), is(200)); // a token is not limited by address
    }

    private static String batchOfEvents(String prefix, int count) {
        StringJoiner events = new StringJoiner(",", "{\"batch\":[", "]}");
        for (int i = 0; i < count; i++) {
            events.add("{\"type\":\"track\",\"messageId\":\"" + prefix + i + "\",\"event\":\"E\"}");
        }
        return events.toString();
    }

    /** A batch body of exactly {@code bytes} bytes, made of ~30 KB events. */
    private static String batchOfBytes(String prefix, int bytes) {
        StringJoiner events = new StringJoiner(",", "{\"batch\":[", "]}");
        int i = 0;
        int length = "{\"batch\":[]}".length();
        while (true) {
            String event = sized("{\"type\":\"track\",\"messageId\":\"" + prefix + i + "\",\"event\":\"E\",\"properties\":{\"p\":\"PAD\"}}", 30_000);
            int next = length + (i > 0 ? 1 : 0) + event.length();
            if (next + 200 > bytes) {
                int rest = bytes - length - (i > 0 ? 1 : 0);
                events.add(sized("{\"type\":\"track\",\"messageId\":\"" + prefix + i + "\",\"event\":\"E\",\"properties\":{\"p\":\"PAD\"}}", rest));
                String body = events.toString();
                assertThat(body.length(), is(bytes));
                return body;
            }
            events.add(event);
            length = next;
            i++;
        }
    }

}
