package plaza.platform;

import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.platform.db.Database;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * What every service gets from the platform, over a real socket and a real PostgreSQL: seed 003's
 * endpoints, problem+json for every error, CORS, and HTTP metrics by route template.
 * Bad inputs tried: malformed JSON, a JSON array where an object goes, a string where a number
 * goes, an empty body, a form-encoded body, a 2 MiB body, unknown path, wrong method, missing and
 * oversized echo query, echo text with quotes, backslashes, control characters and a lone surrogate,
 * an exception inside a handler.
 */
@ServerTest
class PlatformHttpTest {

    private final Http1Client client;
    private final int port;

    PlatformHttpTest(Http1Client client, java.net.URI uri) {
        this.client = client;
        this.port = uri.getPort();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = TestPostgres.config(Map.of(
                "cors.allowed-origins", "https://app.example.com",
                "plaza.access-log.enabled", "false"));
        Database db = Database.open(config.get("db"), "probe");
        PlazaServer.configure(server, config, List.of(new ProbeService(db)));
    }

    @Test
    void healthAnswersAsSeed003Did() {
        try (var res = client.get("/health").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.as(String.class), is("{\"status\":\"ok\"}"));
        }
    }

    @Test
    void echoReturnsQ() {
        try (var res = client.get("/api/v1/echo").queryParam("q", "안녕 hello").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.as(String.class), is("{\"echo\":\"안녕 hello\"}"));
        }
    }

    @Test
    void echoedTextIsValidJsonWhateverItHolds() throws Exception {
        // Quotes, a backslash, control characters, an emoji, and a UTF-8-encoded lone surrogate (decoded as U+FFFD).
        String q = "say \"hi\" \\ back\nslash\t\u0001 😀";
        try (var res = client.get("/api/v1/echo").queryParam("q", q).request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(plaza.platform.http.Json.MAPPER.readTree(res.as(String.class)).get("echo").asText(), is(q));
        }
        // Sent raw (the JDK client leaves the escapes alone): %ED%A0%80 is how UTF-8 would spell U+D800.
        var raw = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/v1/echo?q=a%ED%A0%80b")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode(), is(200));
        assertThat(plaza.platform.http.Json.MAPPER.readTree(raw.body()).get("echo").asText(), not(containsString("\ud800")));
    }

    @Test
    void echoWithoutQIsAProblem() {
        try (var res = client.get("/api/v1/echo").request()) {
            String body = assertProblem(res, 400, "validation");
            assertThat(body, containsString("\"field\":\"q\""));
        }
    }

    @Test
    void echoWithOversizedQIsAProblem() {
        try (var res = client.get("/api/v1/echo").queryParam("q", "x".repeat(1001)).request()) {
            String body = assertProblem(res, 400, "validation");
            assertThat(body, containsString("at most 1000"));
        }
    }

    @Test
    void validJsonIsStoredAndRead() {
        long id;
        try (var res = client.post("/probe/items").header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"name\":\"김치\",\"qty\":3}")) {
            assertThat(res.status(), is(Status.CREATED_201));
            id = Long.parseLong(res.as(String.class).replaceAll("\\D", ""));
        }
        try (var res = client.get("/probe/items/" + id).request()) {
            assertThat(res.as(String.class), containsString("\"name\":\"김치\""));
        }
    }

    @Test
    void malformedJsonIs400() {
        try (var res = client.post("/probe/items").header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"name\": \"x\", ")) {
            String body = assertProblem(res, 400, "bad-request");
            assertThat(body, containsString("Malformed JSON"));
        }
    }

    @Test
    void arrayInsteadOfObjectIs400() {
        try (var res = client.post("/probe/items").header(HeaderNames.CONTENT_TYPE, "application/json").submit("[1,2]")) {
            assertProblem(res, 400, "bad-request");
        }
    }

    @Test
    void wrongFieldTypeNamesTheField() {
        try (var res = client.post("/probe/items").header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"name\":\"x\",\"qty\":\"three\"}")) {
            String body = assertProblem(res, 400, "validation");
            assertThat(body, containsString("\"field\":\"qty\""));
        }
    }

    @Test
    void numberWhereAStringGoesIsRefused() {
        try (var res = client.post("/probe/items").header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"name\":42,\"qty\":1}")) {
            String body = assertProblem(res, 400, "validation");
            assertThat(body, containsString("\"field\":\"name\""));
        }
    }

    @Test
    void problemInstanceIsTheFullPath() {
        try (var res = client.get("/probe/items/999999").request()) {
            String body = assertProblem(res, 404, "not-found");
            assertThat(body, containsString("\"instance\":\"/probe/items/999999\""));
        }
    }

    @Test
    void invalidPercentEscapesInTheQueryAre400s() throws Exception {
        // Tried: a lone %, % with one hex digit, % with non-hex, an escape cut at the end, and a second bad
        // parameter after a good one; on the seed echo, on health (a handler that reads no parameter) and on a probe route.
        for (String target : List.of("/api/v1/echo?q=%", "/api/v1/echo?q=%E", "/api/v1/echo?q=%zz", "/api/v1/echo?q=ok&page=%",
                                     "/api/v1/echo?q=%E%B9", "/probe/items/1?x=%G1", "/health?x=%")) {
            // A raw socket: java.net.URI refuses to send such a target at all.
            String response = rawGet(target);
            assertThat(target, response, startsWith("HTTP/1.1 400"));
            assertThat(target, response, containsString("application/problem+json"));
            assertThat(target, response, containsString("percent escape"));
        }
        // Well-formed escapes still decode.
        assertThat(java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/v1/echo?q=%25%EA%B9%80")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body(), containsString("%김"));
    }

    private String rawGet(String target) throws Exception {
        try (var socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                                                   .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // Read until the problem's body is in (the server may keep the connection open).
            var in = socket.getInputStream();
            var bytes = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!bytes.toString(java.nio.charset.StandardCharsets.UTF_8).contains("}")) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                bytes.write(buffer, 0, n);
            }
            return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void onlyAsciiDigitsAreIds() throws Exception {
        // Full-width, Arabic-Indic and Devanagari digits, which Long.parseLong would read as 202.
        for (String id : List.of("\uff12\uff10\uff12", "\u0662\u0660\u0662", "\u0968\u0966\u0968", "+202", "99999999999999999999")) {
            String target = "/probe/items/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
            var res = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + target)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(target, res.statusCode(), is(400));
            assertThat(target, res.body(), containsString("id"));
        }
    }

    @Test
    void rawUtf8InTheQueryIsA400NotGarbage() throws Exception {
        // What curl 'localhost:8080/api/v1/echo?q=김치' sends: UTF-8 bytes, not percent escapes.
        try (var socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write("GET /api/v1/echo?q=".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write("김치".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            byte[] buffer = new byte[4096];
            int length = 0;
            String response = "";
            // Read until the body of the problem is in (the server may keep the connection open).
            while (!response.contains("}") && length < buffer.length) {
                int n = socket.getInputStream().read(buffer, length, buffer.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
                response = new String(buffer, 0, length, java.nio.charset.StandardCharsets.UTF_8);
            }
            assertThat(response, startsWith("HTTP/1.1 400"));
            assertThat(response, containsString("application/problem+json"));
            assertThat(response, containsString("percent"));
        }
        try (var res = client.get("/api/v1/echo").queryParam("q", "김치").request()) {
            assertThat(res.as(String.class), is("{\"echo\":\"김치\"}"));
        }
    }

    @Test
    void missingFieldsAreAllListed() {
        try (var res = client.post("/probe/items").header(HeaderNames.CONTENT_TYPE, "application/json").submit("{}")) {
            String body = res.as(String.class);
            assertThat(res.status().code(), is(400));
            assertThat(body, containsString("\"field\":\"name\""));
            assertThat(body, containsString("\"field\":\"qty\""));
        }
    }

    @Test
    void emptyBodyIs400() {
        try (var res = client.post("/probe/items").header(HeaderNames.CONTENT_TYPE, "application/json").request()) {
            assertProblem(res, 400, "bad-request");
        }
    }

    @Test
    void formBodyIs415() {
        try (var res = client.post("/probe/items").header(HeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded")
                .submit("name=x&qty=1")) {
            assertProblem(res, 415, "unsupported-media-type");
        }
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        // A raw socket: the server answers from Content-Length alone, before reading 2 MiB a client may still be sending.
        try (var socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /probe/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                       + "Content-Length: " + (2 * 1024 * 1024) + "\r\n\r\n{\"name\":\"").getBytes());
            out.flush();
            String response = new String(socket.getInputStream().readNBytes(600), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(response, startsWith("HTTP/1.1 413"));
            assertThat(response, containsString("application/problem+json"));
            assertThat(response, containsString("\"type\":\"https://plaza.dev/problems/payload-too-large\""));
        }
    }

    @Test
    void unknownRouteIs404Problem() {
        try (var res = client.get("/no/such/thing").request()) {
            assertProblem(res, 404, "not-found");
        }
    }

    @Test
    void wrongMethodIs405WithAllow() {
        try (var res = client.method(Method.DELETE).path("/probe/items/1").request()) {
            assertProblem(res, 405, "method-not-allowed");
            assertThat(res.headers().first(HeaderNames.ALLOW).orElse(""), is("GET"));
        }
    }

    @Test
    void handlerFailureIs500WithoutInternals() {
        try (var res = client.get("/probe/boom").request()) {
            String body = assertProblem(res, 500, "internal");
            assertThat(body, not(containsString("secret internal detail")));
            assertThat(body, not(containsString("at plaza.")));
        }
    }

    @Test
    void corsPreflightFromAllowedOriginIsAnswered() {
        try (var res = client.method(Method.OPTIONS).path("/probe/items")
                .header(HeaderNames.ORIGIN, "https://app.example.com")
                .header(HeaderNames.create("Access-Control-Request-Method"), "POST")
                .header(HeaderNames.create("Access-Control-Request-Headers"), "content-type, authorization")
                .request()) {
            assertThat(res.status(), is(Status.NO_CONTENT_204));
            assertThat(res.headers().first(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN).orElse(""), is("https://app.example.com"));
            assertThat(res.headers().first(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS).orElse(""), containsString("POST"));
        }
    }

    @Test
    void corsPreflightFromOtherOriginIsRefused() {
        try (var res = client.method(Method.OPTIONS).path("/probe/items")
                .header(HeaderNames.ORIGIN, "https://evil.example.net")
                .header(HeaderNames.create("Access-Control-Request-Method"), "POST")
                .request()) {
            assertProblem(res, 403, "forbidden");
            assertThat(res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN), is(false));
        }
    }

    @Test
    void corsPreflightWithUnlistedHeaderIsRefused() {
        try (var res = client.method(Method.OPTIONS).path("/probe/items")
                .header(HeaderNames.ORIGIN, "https://app.example.com")
                .header(HeaderNames.create("Access-Control-Request-Method"), "POST")
                .header(HeaderNames.create("Access-Control-Request-Headers"), "x-sneaky")
                .request()) {
            assertProblem(res, 403, "forbidden");
        }
    }

    @Test
    void simpleRequestFromAllowedOriginGetsAllowOrigin() {
        try (var res = client.get("/health").header(HeaderNames.ORIGIN, "https://app.example.com").request()) {
            assertThat(res.headers().first(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN).orElse(""), is("https://app.example.com"));
        }
        try (var res = client.get("/health").header(HeaderNames.ORIGIN, "https://evil.example.net").request()) {
            assertThat(res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN), is(false));
        }
    }

    @Test
    void metricsCountRequestsByRouteTemplate() {
        try (var res = client.get("/probe/items/424242").request()) {
            assertThat(res.status().code(), is(404));
        }
        try (var res = client.get("/observe/metrics").request()) {
            assertThat(res.status(), is(Status.OK_200));
            String text = res.as(String.class);
            assertThat(text, containsString("http_server_requests_total{method=\"GET\",route=\"/probe/items/{id}\",scope=\"application\",status=\"404\",}"));
            assertThat(text, containsString("http_server_request_duration_seconds_bucket{method=\"GET\",route=\"/probe/items/{id}\""));
            assertThat(text, not(containsString("route=\"/probe/items/424242\"")));
            assertThat(text, containsString("db_pool_connections_max{pool=\"probe\""));
        }
    }

    @Test
    void unmatchedPathsShareOneMetricLabel() {
        try (var res = client.get("/scanner/probe-" + System.nanoTime()).request()) {
            assertThat(res.status().code(), is(404));
        }
        try (var res = client.get("/observe/metrics").request()) {
            String text = res.as(String.class);
            assertThat(text, containsString("route=\"unmatched\""));
            assertThat(text, not(containsString("/scanner/probe-")));
        }
    }

    /** A CORS preflight is answered before routing: its id path must not become a label (one series per id). */
    @Test
    void requestsAnsweredBeforeRoutingAreUnmatched() {
        try (var res = client.method(io.helidon.http.Method.OPTIONS).path("/probe/items/737373")
                .header(HeaderNames.ORIGIN, "https://app.example.com")
                .header(HeaderNames.create("Access-Control-Request-Method"), "GET").request()) {
            assertThat(res.status().code(), is(204));
        }
        try (var res = client.get("/observe/metrics").request()) {
            String text = res.as(String.class);
            assertThat(text, containsString("http_server_requests_total{method=\"OPTIONS\",route=\"unmatched\",scope=\"application\",status=\"204\",}"));
            assertThat(text, not(containsString("737373")));
        }
    }

    @Test
    void observeHealthIsUpWithTheDatabase() {
        try (var res = client.get("/observe/health/ready").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.as(String.class), containsString("\"name\":\"db-probe\",\"status\":\"UP\""));
        }
        try (var res = client.get("/observe/health/live").request()) {
            assertThat(res.status(), is(Status.OK_200));
        }
    }

    /** Asserts the problem+json shape and returns the body (it can be read only once). */
    private static String assertProblem(io.helidon.webclient.api.HttpClientResponse res, int status, String type) {
        assertThat(res.status().code(), is(status));
        assertThat(res.headers().first(HeaderNames.CONTENT_TYPE).orElse(""), startsWith("application/problem+json"));
        String body = res.as(String.class);
        assertThat(body, containsString("\"type\":\"https://plaza.dev/problems/" + type + "\""));
        assertThat(body, containsString("\"status\":" + status));
        assertThat(body, containsString("\"detail\":"));
        return body;
    }
}
