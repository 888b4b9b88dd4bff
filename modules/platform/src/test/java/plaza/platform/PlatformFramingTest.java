package plaza.platform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

/**
 * HTTP framing and semantics every service gets from the platform, over raw sockets (RFC 9110, 9112).
 * Bad inputs tried: an empty, a garbage ({@code @@@}), a UTF-16 and a latin1 Content-Type, none at all;
 * chunk extensions, trailer fields, chunk sizes {@code zz}, {@code -1} and 2^64, 1-byte chunks in one and
 * in separate writes, an oversized chunked body; {@code Content-Length: -1}, {@code +5}, two different
 * Content-Length headers, Content-Length with Transfer-Encoding, {@code Transfer-Encoding: gzip} and {@code Chunked}; two
 * Host headers and HTTP/1.1 without Host; a TLS ClientHello and binary bytes on the plain port; a
 * gzip-coded request body; HEAD on routes that exist, fail and do not exist; HTTP/1.0 with and without
 * keep-alive; {@code Connection: close}; Accept-Encoding gzip, {@code gzip;q=0} and a malformed weight.
 */
@ServerTest
class PlatformFramingTest {

    /**
     * How long a connection may stay silent before the answer counts as complete and the connection as left
     * open. Exchanges end with a request saying Connection: close, so a server that works never makes us wait.
     */
    private static final int QUIET_MILLIS = 5000;
    private static final String ITEM = "{\"name\":\"a\",\"qty\":1}";
    private static final String JSON_CHUNKED = "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n";

    record Item(String name, Integer qty) {
    }

    /** Routes reading bodies the two ways services do, a large JSON answer, and one that fails. */
    static final class FramingProbe implements PlazaService {
        @Override
        public String name() {
            return "framing";
        }

        @Override
        public void routing(HttpRouting.Builder routing) {
            routing.post("/probe/echo", (req, res) -> Json.send(res, Json.read(req, Item.class)))
                    .any("/probe/echo", Problems.methodNotAllowed("POST"))
                    .post("/probe/text", (req, res) -> Json.send(res, Map.of("length", req.content().as(String.class).length())))
                    .get("/probe/big", (req, res) -> Json.send(res, Collections.nCopies(2000, new Item("x", 1))))
                    .get("/probe/stream", (req, res) -> {
                        res.header(io.helidon.http.HeaderValues.CONTENT_TYPE_JSON);
                        try (OutputStream out = res.outputStream()) {
                            for (int i = 0; i < 3; i++) { // a streamed body, like the assistant's server-sent events
                                out.write(("[" + "x".repeat(2000) + "]").getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                            }
                        }
                    })
                    .get("/probe/gone", (req, res) -> {
                        throw ProblemException.notFound("No such thing.");
                    });
        }
    }

    private final int port;

    PlatformFramingTest(URI uri) {
        this.port = uri.getPort();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = PlazaConfig.override(Config.empty(), Map.of(
                "plaza.access-log.enabled", "false",
                "plaza.tracing.enabled", "false",
                "server.max-payload-size", "65536"));
        PlazaServer.configure(server, config, List.of(new FramingProbe()));
    }

    // --- Content-Type and Content-Encoding -------------------------------------------------------

    @Test
    void contentTypesThatAreNotUtf8JsonAre415() throws Exception {
        for (String type : List.of("", "@@@", "application/json; charset=utf-16", "application/json; charset=latin1",
                                   "application/vnd.plaza+json; charset=iso-8859-1")) {
            Answer a = exchange(postEcho("Content-Type: " + type + "\r\n", ITEM));
            assertThat(type, a.status, is(415));
            assertThat(type, a.header("content-type"), is("application/problem+json"));
            assertThat(type, a.body(), containsString("\"status\":415"));
            // An empty POST is judged by its Content-Type too (its handler reads it); a GET's is ignored.
            assertThat(type, exchange(postEcho("Content-Type: " + type + "\r\n", "")).status, is(415));
            assertThat(type, exchange(get("/health", "Content-Type: " + type + "\r\n")).status, is(200));
        }
    }

    @Test
    void utf8JsonTypesAreAccepted() throws Exception {
        // A vendor +json type, an explicit (also quoted) UTF-8, and no Content-Type at all: read as JSON (docs say so).
        for (String header : List.of("Content-Type: application/vnd.plaza+json\r\n", "Content-Type: application/json; charset=UTF-8\r\n",
                                     "Content-Type: application/json; charset=\"utf-8\"\r\n", "")) {
            Answer a = exchange(postEcho(header, ITEM));
            assertThat(header, a.status, is(200));
            assertThat(header, a.body(), is(ITEM));
        }
    }

    @Test
    void codedRequestBodiesAre415AndTheConnectionStaysUsable() throws Exception {
        String coded = post("/probe/echo", "Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 20\r\n", ITEM);
        Answer a = exchange(coded + get("/health", ""));
        assertThat(a.status, is(415));
        assertThat(a.header("accept-encoding"), is("identity"));
        assertThat(a.body(), containsString("Content-Encoding"));
        assertThat("the next request on the connection is answered", a.raw, containsString("{\"status\":\"ok\"}"));
    }

    // --- Chunked bodies -----------------------------------------------------------------------------

    @Test
    void wellFormedChunkedBodiesAreRead() throws Exception {
        StringBuilder oneByteChunks = new StringBuilder();
        for (char c : ITEM.toCharArray()) {
            oneByteChunks.append("1\r\n").append(c).append("\r\n");
        }
        String body = oneByteChunks + "0\r\n\r\n";
        for (String path : List.of("/probe/echo", "/probe/text")) {
            Answer whole = exchange(post(path, JSON_CHUNKED + "Connection: close\r\n", body));
            assertThat(path, whole.status, is(200));
            // Each chunk in its own write, as a slow client sends them.
            List<String> parts = new ArrayList<>();
            parts.add(post(path, JSON_CHUNKED + "Connection: close\r\n", ""));
            for (String chunk : body.split("(?<=\r\n)")) {
                parts.add(chunk);
            }
            Answer split = exchange(parts.toArray(String[]::new));
            assertThat(path, split.status, is(200));
            assertThat(path, split.body(), is(path.equals("/probe/echo") ? ITEM : "{\"length\":20}"));
        }
    }

    @Test
    void malformedChunkedBodiesAreA400AndTheConnectionCloses() throws Exception {
        String hex = Integer.toHexString(ITEM.length());
        for (String body : List.of(hex + ";ext=1\r\n" + ITEM + "\r\n0\r\n\r\n",          // chunk extension
                                   hex + "\r\n" + ITEM + "\r\n0\r\nX-Trailer: 1\r\n\r\n", // trailer field
                                   "zz\r\n" + ITEM + "\r\n0\r\n\r\n",
                                   "-1\r\n" + ITEM + "\r\n0\r\n\r\n",
                                   "10000000000000000\r\n" + ITEM + "\r\n0\r\n\r\n")) {
            for (String path : List.of("/probe/echo", "/probe/text")) {
                Answer a = exchange(post(path, JSON_CHUNKED, body) + get("/health", ""));
                String label = path + " " + body.lines().findFirst().orElseThrow();
                assertThat(label, a.status, is(400));
                assertThat(label, a.body(), containsString("chunked request body is malformed"));
                assertClosedAfterOneAnswer(label, a);
            }
        }
    }

    @Test
    void oversizedBodiesAre413WhetherChunkedOrNot() throws Exception {
        // A chunk announced larger than the limit: answered as soon as its size line is read. (A client that keeps
        // sending past the limit may see its connection reset after the answer, as with any server that closes.)
        for (String body : List.of("20000\r\n{\"name\":\"xxxx", "9\r\n{\"name\":\"\r\nffff\r\n" + "x".repeat(0xffff) + "\r\n1\r\n")) {
            Answer chunked = exchange(post("/probe/echo", JSON_CHUNKED, body));
            assertThat(chunked.raw, chunked.status, is(413));
            assertThat(chunked.header("content-type"), is("application/problem+json"));
            assertThat(chunked.body(), containsString("larger than this server accepts"));
            assertClosedAfterOneAnswer("chunked", chunked);
        }

        Answer length = exchange(post("/probe/echo", "Content-Type: application/json\r\nContent-Length: 120000\r\n", ""));
        assertThat(length.status, is(413));
    }

    // --- Ambiguous framing (RFC 9112 §3.2, §6.3) ---------------------------------------------------

    @Test
    void ambiguousFramingIsA400AndTheConnectionCloses() throws Exception {
        Map<String, String> requests = new LinkedHashMap<>();
        requests.put("Content-Length: -1", post("/probe/echo", "Content-Type: application/json\r\nContent-Length: -1\r\n", ITEM));
        requests.put("Content-Length: +20", post("/probe/echo", "Content-Type: application/json\r\nContent-Length: +20\r\n", ITEM));
        requests.put("two Content-Length", post("/probe/echo", "Content-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 20\r\n", ITEM));
        requests.put("Content-Length and chunked", post("/probe/echo", JSON_CHUNKED + "Content-Length: 20\r\n", "14\r\n" + ITEM + "\r\n0\r\n\r\n"));
        requests.put("Transfer-Encoding: Chunked", post("/probe/echo", "Content-Type: application/json\r\nTransfer-Encoding: Chunked\r\n",
                                                       "14\r\n" + ITEM + "\r\n0\r\n\r\n"));
        requests.put("Transfer-Encoding: gzip", post("/probe/echo", "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n", ITEM));
        requests.put("two Host", "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        requests.put("no Host", "GET /health HTTP/1.1\r\n\r\n");
        for (var request : requests.entrySet()) {
            Answer a = exchange(request.getValue() + get("/health", ""));
            assertThat(request.getKey(), a.status, is(400));
            assertThat(request.getKey(), a.header("content-type"), is("application/problem+json"));
            assertClosedAfterOneAnswer(request.getKey(), a);
        }
    }

    @Test
    void bytesThatAreNotHttpCloseTheConnectionAtOnce() throws Exception {
        // The start of a TLS 1.2 ClientHello, and a NUL byte.
        for (String hex : List.of("16030100a5010000a10303" + "00".repeat(32), "00ff")) {
            Answer a = exchange(new String(HexFormat.of().parseHex(hex), StandardCharsets.ISO_8859_1));
            assertThat(hex, a.closed, is(true));
            assertThat(hex, a.millis, lessThan(3000L));
        }
    }

    // --- HEAD, HTTP/1.0, Connection: close -------------------------------------------------------

    @Test
    void headIsAnsweredByTheGetRouteWithoutABody() throws Exception {
        // Two requests on one connection: the GET's answer must start right after the HEAD's headers.
        Answer a = exchange("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n" + get("/api/v1/echo?q=hi", ""));
        assertThat(a.status, is(200));
        assertThat(a.header("content-length"), is("15"));
        assertThat(a.body(), is(""));
        assertThat(a.raw, containsString("\r\n\r\nHTTP/1.1 200 OK"));
        assertThat(a.raw, containsString("{\"echo\":\"hi\"}"));

        Answer noHost = exchange("HEAD /health HTTP/1.1\r\n\r\n");
        assertThat(noHost.status, is(400));
        assertThat(noHost.raw, noHost.raw.endsWith("\r\n\r\n"), is(true));
        for (String target : List.of("/probe/gone", "/nowhere", "/probe/echo")) {
            Answer failed = exchange("HEAD " + target + " HTTP/1.1\r\nHost: x\r\n\r\n" + get("/health", ""));
            assertThat(target, failed.status, is(target.equals("/probe/echo") ? 405 : 404));
            assertThat(target, failed.body(), is(""));
            assertThat(target, failed.raw, containsString("\r\n\r\nHTTP/1.1 200 OK"));
        }
    }

    @Test
    void http10RequestsAreAnsweredAndClosed() throws Exception {
        // As ApacheBench sends them: no Host, with and without keep-alive.
        for (String request : List.of("GET /health HTTP/1.0\r\n\r\n", "GET /health HTTP/1.0\r\nConnection: Keep-Alive\r\nHost: x\r\n\r\n")) {
            Answer a = exchange(request);
            assertThat(request, a.status, is(200));
            assertThat(request, a.body(), is("{\"status\":\"ok\"}"));
            assertThat(request, a.header("connection"), is("close"));
            assertThat(request, a.closed, is(true));
        }
        Answer post = exchange("POST /probe/echo HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n" + ITEM);
        assertThat(post.status, is(200));
        assertThat(post.body(), is(ITEM));
        Answer missing = exchange("GET /nowhere HTTP/1.0\r\n\r\n");
        assertThat(missing.status, is(404));
        assertThat(missing.closed, is(true));
    }

    @Test
    void connectionCloseClosesTheConnection() throws Exception {
        Answer a = exchange(get("/health", "") + get("/health", ""));
        assertThat(a.status, is(200));
        assertClosedAfterOneAnswer("Connection: close", a);
        Answer upper = exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n" + get("/health", ""));
        assertThat(upper.header("connection"), is("close"));
        assertClosedAfterOneAnswer("Connection: Close", upper);
    }

    // --- Response compression ------------------------------------------------------------------------

    @Test
    void largeResponsesAreGzippedWhenTheClientAcceptsIt() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<byte[]> plain = client.send(request("/probe/big", null), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> zipped = client.send(request("/probe/big", "gzip, deflate, br"), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(plain.headers().firstValue("content-encoding").orElse(null), nullValue());
        assertThat(zipped.headers().firstValue("content-encoding").orElse(null), is("gzip"));
        assertThat(zipped.headers().firstValue("vary").orElse(""), containsString("Accept-Encoding"));
        assertThat(zipped.body().length, lessThan(plain.body().length / 10));
        assertThat(new String(gunzip(zipped.body()), StandardCharsets.UTF_8), is(new String(plain.body(), StandardCharsets.UTF_8)));

        HttpResponse<byte[]> metrics = client.send(request("/observe/metrics", "gzip"), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(metrics.headers().firstValue("content-encoding").orElse(null), is("gzip"));
        assertThat(new String(gunzip(metrics.body()), StandardCharsets.UTF_8), containsString("# TYPE"));

        // A streamed body is never held back to be compressed.
        HttpResponse<byte[]> streamed = client.send(request("/probe/stream", "gzip"), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(streamed.headers().firstValue("content-encoding").orElse(null), nullValue());
        assertThat(streamed.body().length, is(3 * 2002));

        // Small answers (the benchmark's) stay as they are; so does everything for a client refusing gzip.
        for (String[] pair : List.of(new String[] {"/health", "gzip"}, new String[] {"/probe/big", "gzip;q=0"},
                                     new String[] {"/probe/big", "gzip;q=abc, identity"})) {
            HttpResponse<byte[]> res = client.send(request(pair[0], pair[1]), HttpResponse.BodyHandlers.ofByteArray());
            String label = pair[0] + " " + pair[1];
            assertThat(label, res.statusCode(), is(200));
            assertThat(label, res.headers().firstValue("content-encoding").orElse(null),
                       is(pair[1].equals("gzip;q=abc, identity") ? "gzip" : null));
        }
    }

    // --- helpers --------------------------------------------------------------------------------------

    private HttpRequest request(String path, String acceptEncoding) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (acceptEncoding != null) {
            builder.header("Accept-Encoding", acceptEncoding);
        }
        return builder.build();
    }

    private static byte[] gunzip(byte[] bytes) throws Exception {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static String postEcho(String headers, String body) {
        return post("/probe/echo", headers + "Connection: close\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n", body);
    }

    private static String post(String path, String headers, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n" + body;
    }

    /** A GET that asks for the connection to be closed after it. */
    private static String get(String target, String headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers + "\r\n";
    }

    private static void assertClosedAfterOneAnswer(String label, Answer a) {
        assertThat(label + ": closed", a.closed, is(true));
        assertThat(label + ": fast", a.millis, lessThan(3000L));
        assertThat(label + ": one answer", a.raw.split("HTTP/1\\.1 \\d{3} ", -1).length - 1, is(1));
    }

    /** What came back on one connection: the first response parsed, everything raw. */
    record Answer(int status, Map<String, String> headers, String raw, boolean closed, long millis) {
        String header(String name) {
            return headers.get(name);
        }

        /** The first response's body (by its Content-Length). */
        String body() {
            int start = raw.indexOf("\r\n\r\n") + 4;
            int length = headers.containsKey("content-length") && !headers.containsKey("x-head")
                    ? Integer.parseInt(headers.get("content-length")) : raw.length() - start;
            String rest = raw.substring(start);
            return rest.startsWith("HTTP/1.1 ") ? "" : rest.substring(0, Math.min(length, rest.length()));
        }
    }

    /** Sends the parts (each its own write) on a fresh connection and reads until it closes or stays quiet for QUIET_MILLIS. */
    private Answer exchange(String... parts) throws Exception {
        long start = System.nanoTime();
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(QUIET_MILLIS);
            OutputStream out = socket.getOutputStream();
            for (String part : parts) {
                out.write(part.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (parts.length > 1) {
                    Thread.sleep(5);
                }
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean closed;
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = socket.getInputStream().read(buffer)) >= 0) {
                    got.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (SocketException e) {
                closed = true; // reset
            }
            long millis = (System.nanoTime() - start) / 1_000_000 - (closed ? 0 : QUIET_MILLIS);
            String raw = got.toString(StandardCharsets.ISO_8859_1);
            int status = -1;
            Map<String, String> headers = new LinkedHashMap<>();
            if (raw.startsWith("HTTP/1.1 ")) {
                status = Integer.parseInt(raw.substring(9, 12));
                String head = raw.substring(0, Math.max(raw.indexOf("\r\n\r\n"), 0));
                for (String line : head.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.putIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                    }
                }
            }
            return new Answer(status, headers, raw, closed, millis);
        }
    }
}
