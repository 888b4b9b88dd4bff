package plaza.standalone;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

/**
 * The platform's HTTP framing on real routes of a running standalone, where clients meet it: the product
 * list (the 35 KB page) under HEAD and gzip, a JSON route given a bad Content-Type, and HTTP/1.0 as
 * ApacheBench sends it. Bad inputs tried: {@code Content-Type: @@@} and {@code charset=latin1} on login,
 * a chunk extension on register. (Every other case is in the platform's PlatformFramingTest.)
 */
class StandaloneHttpTest {

    @Test
    void realRoutesGetHeadGzipHttp10AndTheirContentChecks() throws Exception {
        Config config = PlazaConfig.override(Config.empty(), Map.of(
                "server.port", "0", "server.host", "127.0.0.1",
                "standalone.data-dir", Files.createTempDirectory("plaza-standalone-http").toString(),
                "plaza.access-log.enabled", "false",
                "catalog.demo-data", "true", "recipe.demo-data", "true"));
        try (Standalone plaza = Standalone.start(config)) {
            int port = plaza.port();
            HttpClient client = HttpClient.newHttpClient();
            URI products = URI.create("http://127.0.0.1:" + port + "/kok/products?size=100");

            HttpResponse<byte[]> plain = client.send(HttpRequest.newBuilder(products).build(), HttpResponse.BodyHandlers.ofByteArray());
            for (int i = 0; i < 300 && plain.body().length < 10_000; i++) { // the demo catalogue may still be loading
                Thread.sleep(100);
                plain = client.send(HttpRequest.newBuilder(products).build(), HttpResponse.BodyHandlers.ofByteArray());
            }
            assertThat(plain.statusCode(), is(200));
            assertThat(plain.body().length > 10_000, is(true));
            HttpResponse<byte[]> zipped = client.send(HttpRequest.newBuilder(products).header("Accept-Encoding", "gzip").build(),
                                                      HttpResponse.BodyHandlers.ofByteArray());
            assertThat(zipped.headers().firstValue("content-encoding").orElse(""), is("gzip"));
            assertThat(zipped.body().length, lessThan(plain.body().length / 2));
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8), is(new String(plain.body(), StandardCharsets.UTF_8)));
            }
            HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(products).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                                                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.statusCode(), is(200));
            assertThat(head.headers().firstValue("content-length").orElse(""), is(String.valueOf(plain.body().length)));

            String login = "{\"email\":\"a@example.com\",\"password\":\"x\"}";
            for (String type : new String[] {"@@@", "application/json; charset=latin1"}) {
                String answer = raw(port, "POST /auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + type
                        + "\r\nContent-Length: " + login.length() + "\r\n\r\n" + login);
                assertThat(type, answer, startsWith("HTTP/1.1 415"));
                assertThat(type, answer, containsString("application/problem+json"));
            }
            String register = "{\"email\":\"b@example.com\",\"password\":\"orange-Kettle-Sky-4\",\"name\":\"B\"}";
            String chunked = raw(port, "POST /auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(register.length()) + ";ext=1\r\n" + register + "\r\n0\r\n\r\n");
            assertThat(chunked, startsWith("HTTP/1.1 400"));
            assertThat(chunked, containsString("chunk extensions"));

            // recipe asks catalog in its own process: at the port the server bound, not server.port's 0
            String recipe = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/recipes/1")).build(),
                                        HttpResponse.BodyHandlers.ofString()).body();
            assertThat(recipe, containsString("\"productsUnavailable\":false"));
            assertThat(recipe, containsString("\"inStock\""));

            String http10 = raw(port, "GET /kok/categories HTTP/1.0\r\n\r\n");
            assertThat(http10, startsWith("HTTP/1.1 200"));
            assertThat(http10, containsString("Connection: close"));
        }
    }

    /** One request on its own connection; returns all the server sent until it closed (10 s at most). */
    private static String raw(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
