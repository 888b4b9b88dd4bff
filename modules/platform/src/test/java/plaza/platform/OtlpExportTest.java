package plaza.platform;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;
import plaza.platform.db.Database;
import plaza.platform.observe.Telemetry;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.empty;

/** With an OTLP endpoint configured, request spans are exported to it (OTLP/HTTP protobuf here). Own JVM. */
class OtlpExportTest {

    @Test
    void spansReachTheCollector() throws Exception {
        List<byte[]> batches = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            batches.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        Config config = TestPostgres.config(Map.of(
                "server.port", "0", "plaza.access-log.enabled", "false",
                "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort(),
                "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.service-name", "plaza-otlp-test"));
        Telemetry.init(config, "probe");
        Database db = Database.open(config.get("db"), "probe");
        WebServer server = PlazaServer.start(config, List.of(new ProbeService(db)));
        try {
            var request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + server.port() + "/api/v1/echo?q=otlp")).build();
            assertThat(java.net.http.HttpClient.newHttpClient()
                               .send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode(), is(200));
            // The batch processor flushes every 5 s.
            for (int i = 0; i < 100 && batches.isEmpty(); i++) {
                Thread.sleep(100);
            }
            assertThat(batches, not(empty()));
            assertThat(paths.getFirst(), is("/v1/traces"));
            String payload = new String(batches.getFirst(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(payload.contains("plaza-otlp-test"), is(true));
        } finally {
            server.stop();
            db.close();
            collector.stop(0);
        }
    }
}
