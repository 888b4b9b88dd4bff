package plaza.platform;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.http.Json;
import plaza.platform.http.ServiceClient;
import plaza.platform.observe.LogLines;
import plaza.platform.observe.Telemetry;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * An incoming W3C traceparent is continued (the exported server span has its trace id and parent),
 * and log lines are single JSON objects carrying the current trace id. Runs in its own JVM
 * (surefire reuseForks=false): 4.1.2 lets one tracer be registered per JVM.
 */
class TracingAndLogsTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN = "00f067aa0ba902b7";

    private static final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @BeforeAll
    static void tracing() {
        Telemetry.init(Config.empty(), "probe", spans);
    }

    @Test
    void incomingTraceparentIsContinued() throws Exception {
        Config config = TestPostgres.config(Map.of("server.port", "0", "plaza.access-log.enabled", "false"));
        Database db = Database.open(config.get("db"), "probe");
        WebServer server = PlazaServer.start(config, List.of(new ProbeService(db)));
        try {
            // The JDK client, because Helidon's WebClient traces too and would send its own traceparent.
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + server.port() + "/api/v1/echo?q=trace"))
                    .header("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01").build();
            var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode(), is(200));
            List<SpanData> finished = List.of();
            for (int i = 0; i < 50; i++) {
                finished = spans.getFinishedSpanItems();
                if (finished.stream().anyMatch(s -> s.getTraceId().equals(TRACE_ID) && s.getParentSpanId().equals(PARENT_SPAN))) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(finished.stream().map(SpanData::getTraceId).toList(), hasItem(TRACE_ID));
            // The server's request span hangs under the caller's span; its own children under it.
            assertThat(finished.stream().filter(s -> s.getTraceId().equals(TRACE_ID)).map(SpanData::getParentSpanId).toList(),
                       hasItem(PARENT_SPAN));
            SpanData serverSpan = finished.stream().filter(s -> PARENT_SPAN.equals(s.getParentSpanId())).findFirst().orElseThrow();
            assertThat(serverSpan.getName(), is("GET /api/v1/echo"));
            assertThat(serverSpan.getKind(), is(io.opentelemetry.api.trace.SpanKind.SERVER));
            assertThat(serverSpan.getAttributes().get(io.opentelemetry.api.common.AttributeKey.longKey("http.response.status_code")), is(200L));
        } finally {
            server.stop();
            db.close();
        }
    }

    @Test
    void outboundCallCarriesTheTraceOfTheRequestBeingHandled() throws Exception {
        TraceparentRecorder other = new TraceparentRecorder();
        List<String> received = other.received();
        Span handling = Telemetry.tracer().spanBuilder("handling").startSpan();
        try (ServiceClient client = ServiceClient.builder("other")
                .baseUri(other.uri())
                .timeout(java.time.Duration.ofSeconds(10)).build(); // a cold first call on a busy machine
             Scope ignored = handling.makeCurrent()) {
            client.getJson("/thing", Map.of(), java.util.Optional.empty());
        } finally {
            handling.end();
            other.close();
        }
        String traceId = handling.getSpanContext().getTraceId();
        // The call ran on another thread; the header still names this trace and the client span under it.
        assertThat(received.size(), is(1));
        assertThat(received.getFirst().split("-")[1], is(traceId));
        SpanData clientSpan = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("GET other")).findFirst().orElseThrow();
        assertThat(clientSpan.getTraceId(), is(traceId));
        assertThat(clientSpan.getParentSpanId(), is(handling.getSpanContext().getSpanId()));
        assertThat(received.getFirst().split("-")[2], is(clientSpan.getSpanId()));
    }

    @Test
    void logLineIsJsonWithTheTraceId() throws Exception {
        Span span = io.opentelemetry.api.GlobalOpenTelemetry.getTracer("test").spanBuilder("work").startSpan();
        String line;
        try (LogLines lines = LogLines.capture()) {
            try (Scope ignored = span.makeCurrent()) {
                LogRecord record = new LogRecord(Level.WARNING, "payment \"failed\"\nfor {0}");
                record.setParameters(new Object[] {"order-7"});
                record.setLoggerName("plaza.test");
                record.setThrown(new IllegalStateException("boom"));
                java.util.logging.Logger.getLogger("plaza.test").log(record);
            } finally {
                span.end();
            }
            // Written by the logging thread, after the span has ended there: the ids were taken when it was logged.
            line = lines.awaitRaw("payment");
        }
        assertThat(line.endsWith("\n"), is(true));
        assertThat(line.trim().contains("\n"), is(false));
        JsonNode json = Json.parse(line);
        assertThat(json.get("level").asText(), is("WARNING"));
        assertThat(json.get("logger").asText(), is("plaza.test"));
        assertThat(json.get("message").asText(), is("payment \"failed\"\nfor order-7"));
        assertThat(json.get("ts").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), is(true));
        assertThat(json.get("trace_id").asText(), is(span.getSpanContext().getTraceId()));
        assertThat(json.get("span_id").asText(), is(span.getSpanContext().getSpanId()));
        assertThat(json.get("exception").asText(), containsString("java.lang.IllegalStateException: boom"));
    }

    @Test
    void aLineLoggedOutsideASpanHasNoTraceFields() throws Exception {
        try (LogLines lines = LogLines.capture()) {
            System.getLogger("plaza.test").log(System.Logger.Level.INFO, "no span here");
            JsonNode json = lines.await(l -> l.path("message").asText().equals("no span here"));
            assertThat(json.has("trace_id"), is(false));
            assertThat(json.has("span_id"), is(false));
            assertThat(json.has("exception"), is(false));
            assertThat(json.get("level").asText(), is("INFO"));
        }
    }
}
