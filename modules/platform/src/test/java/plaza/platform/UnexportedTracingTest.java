package plaza.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;
import plaza.platform.http.Json;
import plaza.platform.http.ServiceClient;
import plaza.platform.observe.LogLines;
import plaza.platform.observe.Telemetry;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * With no exporter configured (the default), traces still work end to end: an incoming
 * {@code traceparent} is continued, a request without one starts a new trace, log lines and outbound
 * calls carry the request's ids, and the ids are the same wherever they are read. Own JVM (one
 * tracer per JVM).
 */
class UnexportedTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN = "00f067aa0ba902b7";

    private static LogLines logLines;
    private static final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    private static TraceparentRecorder other;
    private static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        other = new TraceparentRecorder();
        Config config = PlazaConfig.override(Config.empty(), Map.of("server.port", "0", "plaza.access-log.enabled", "true"));
        logLines = LogLines.capture();
        Telemetry.init(config, "probe");
        assertThat(Telemetry.exporting(), is(false));
        ServiceClient client = ServiceClient.builder("other")
                .baseUri(other.uri())
                .timeout(Duration.ofSeconds(10)).build();
        server = PlazaServer.start(config, List.of(new PlazaService() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public void routing(HttpRouting.Builder routing) {
                routing.get("/probe/trace", (req, res) -> {
                    SpanContext span = Span.current().getSpanContext();
                    // The line is written later, on the logging thread; the test finds it by this request's number.
                    System.getLogger("plaza.test").log(System.Logger.Level.INFO, "handling " + req.query().get("n"));
                    client.getJson("/downstream", Map.of(), Optional.empty());
                    Json.send(res, Map.of("traceId", span.getTraceId(), "spanId", span.getSpanId(),
                                          "sampled", span.isSampled()));
                });
            }
        }));
    }

    @AfterAll
    static void stop() {
        server.stop();
        other.close();
        logLines.close();
    }

    @Test
    void incomingTraceparentIsContinuedIntoLogsAndOutboundCalls() throws Exception {
        other.received().clear();
        JsonNode seen = get("00-" + TRACE_ID + "-" + PARENT_SPAN + "-01");
        assertThat(seen.get("traceId").asText(), is(TRACE_ID));
        String spanId = seen.get("spanId").asText();
        assertThat(spanId, matchesPattern("[0-9a-f]{16}"));
        assertThat(spanId, not(is(PARENT_SPAN)));
        assertThat(spanId, not(is("0000000000000000")));
        // Nothing records spans, so none is sampled: as the SDK's always-off sampler decides.
        assertThat(seen.get("sampled").asBoolean(), is(false));
        assertThat(seen.get("log").get("trace_id").asText(), is(TRACE_ID));
        assertThat(seen.get("log").get("span_id").asText(), is(spanId));
        assertThat(other.received().size(), is(1));
        String[] sent = other.received().getFirst().split("-");
        assertThat(sent[1], is(TRACE_ID));
        assertThat(sent[2], matchesPattern("[0-9a-f]{16}"));
        assertThat(sent[2], not(is(PARENT_SPAN)));
    }

    @Test
    void theAccessLogLineCarriesTheRequestsTrace() throws Exception {
        // A trace of its own: the other tests' lines, written after their responses, may still arrive.
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        JsonNode seen = get("00-" + traceId + "-" + PARENT_SPAN + "-01");
        // The line is written after the response has gone out, so the client can see the answer first.
        JsonNode line = logLines.await(l -> l.path("logger").asText().equals("plaza.access")
                && l.get("message").asText().startsWith("GET /probe/trace 200")
                && l.has("trace_id") && l.get("trace_id").asText().equals(traceId));
        assertThat(line.get("trace_id").asText(), is(traceId));
        assertThat(line.get("span_id").asText(), is(seen.get("spanId").asText()));
    }

    @Test
    void aRequestWithoutTraceparentStartsItsOwnTrace() throws Exception {
        other.received().clear();
        JsonNode first = get(null);
        JsonNode second = get(null);
        assertThat(first.get("traceId").asText(), matchesPattern("[0-9a-f]{32}"));
        assertThat(first.get("traceId").asText(), not(is("00000000000000000000000000000000")));
        assertThat(second.get("traceId").asText(), not(is(first.get("traceId").asText())));
        assertThat(first.get("log").get("trace_id").asText(), is(first.get("traceId").asText()));
        assertThat(other.received().getFirst().split("-")[1], is(first.get("traceId").asText()));
    }

    @Test
    void aMalformedTraceparentStartsANewTrace() throws Exception {
        JsonNode seen = get("00-not-a-trace-01");
        assertThat(seen.get("traceId").asText(), matchesPattern("[0-9a-f]{32}"));
        assertThat(seen.get("traceId").asText(), not(is("00000000000000000000000000000000")));
    }

    private static org.hamcrest.Matcher<String> matchesPattern(String regex) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(String item) {
                return item.matches(regex);
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("a string matching " + regex);
            }
        };
    }

    /** The probe's answer, with the line its handler logged as {@code log}. */
    private static JsonNode get(String traceparent) throws Exception {
        int n = requests.incrementAndGet();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/probe/trace?n=" + n));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body(), response.statusCode(), is(200));
        com.fasterxml.jackson.databind.node.ObjectNode answer = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(response.body());
        answer.set("log", logLines.await(l -> l.path("message").asText().equals("handling " + n)));
        return answer;
    }
}
