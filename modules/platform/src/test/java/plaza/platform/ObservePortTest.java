package plaza.platform;

import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;
import plaza.platform.db.Database;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** With plaza.observe.port set (as the chart does), /observe lives only there and the API only on the main port. */
class ObservePortTest {

    @Test
    void observeEndpointsMoveToTheirOwnPort() {
        int observePort = freePort(); // 0 would mean "no separate port"
        Config config = TestPostgres.config(Map.of("server.port", "0", "plaza.observe.port", String.valueOf(observePort),
                                                   "plaza.access-log.enabled", "false"));
        Database db = Database.open(config.get("db"), "probe");
        WebServer server = PlazaServer.start(config, List.of(new ProbeService(db)));
        try {
            Http1Client api = Http1Client.builder().baseUri("http://localhost:" + server.port()).build();
            Http1Client observe = Http1Client.builder().baseUri("http://localhost:" + observePort).build();
            assertThat(status(observe, "/observe/health/ready"), is(200));
            assertThat(status(observe, "/observe/health/live"), is(200));
            try (var res = observe.get("/observe/metrics").request()) {
                assertThat(res.as(String.class), containsString("# TYPE"));
            }
            // The observe port gets the same framing as the API port: HEAD without a body, HTTP/1.0 answered and closed.
            try (var res = observe.head("/observe/metrics").request()) {
                assertThat(res.status().code(), is(200));
                assertThat(res.headers().contentLength().orElse(0L) > 0, is(true));
            }
            assertThat(rawHttp10(observePort, "/observe/health/live"), org.hamcrest.Matchers.startsWith("HTTP/1.1 200"));
            assertThat(status(api, "/observe/health/ready"), is(404));
            assertThat(status(api, "/observe/metrics"), is(404));
            assertThat(status(api, "/health"), is(200));
            assertThat(status(observe, "/health"), is(404));
            assertThat(status(observe, "/openapi"), is(404)); // the API's description stays with the API
            assertThat(status(api, "/openapi"), is(200));
        } finally {
            server.stop();
            db.close();
        }
    }

    private static int status(Http1Client client, String path) {
        try (var res = client.get(path).request()) {
            return res.status().code();
        }
    }

    /** GET as HTTP/1.0, read until the server closes (10 s at most). */
    private static String rawHttp10(int port, String path) {
        try (var socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
