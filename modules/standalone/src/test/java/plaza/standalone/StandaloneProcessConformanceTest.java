package plaza.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import plaza.platform.http.Json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * Standalone as an operator runs it: its own OS process, the shipped {@code application.yaml} (whose
 * {@code cors.allowed-origins} is a list), production logging ({@code logging.properties} of platform), and
 * seed 003's {@code ALLOWED_ORIGINS} in the environment. Checked from outside, over HTTP:
 * <ul>
 * <li>CORS: the variable replaces the YAML list — a preflight from that origin is 204 with
 * {@code Access-Control-Allow-Origin}, a simple GET carries it (and {@code Access-Control-Expose-Headers}), the
 * WebSocket upgrade from it is accepted; a YAML origin ({@code http://localhost:3000}) and another site are refused;</li>
 * <li>metrics after chat, assistant, preflight and WebSocket traffic: no quantiles, snake_case names,
 * {@code _count} only on histograms, route labels that are templates or {@code unmatched}, the 101 counted,
 * and {@code promtool check metrics} silent (when promtool is installed; CI requires it);</li>
 * <li>logs of a run full of failures hold none of the e-mails, passwords or tokens sent.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneProcessConformanceTest {

    private static final String APP = "https://app.example.com";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Path data;
    private Path log;
    private Process process;
    private int port;
    private String base;

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("plaza-conformance");
        log = data.resolve("standalone.log");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        Path productionLogging = Path.of("..", "platform", "src", "main", "resources", "logging.properties").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                               "-Djava.util.logging.config.file=" + productionLogging,
                                               "-cp", System.getProperty("java.class.path"), Main.class.getName());
        pb.environment().put("STANDALONE_DATA_DIR", data.toString());
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("SERVER_HOST", "127.0.0.1");
        pb.environment().put("ALLOWED_ORIGINS", APP);
        pb.environment().remove("CORS_ALLOWED_ORIGINS");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            assertThat("standalone is running (see " + log + ")", process.isAlive(), is(true));
            try {
                if (send("GET", "/observe/health/ready", null, null, Map.of()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat("standalone ready within 180 s", System.nanoTime() < deadline, is(true));
            Thread.sleep(250);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        if (data != null) {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Tries: a preflight, a GET and WebSocket upgrades from the env origin, from a YAML-listed origin and from another site. */
    @Test
    void allowedOriginsFromTheEnvironmentReplaceTheShippedList() throws Exception {
        String token = registerAndLogin("cors-" + System.nanoTime() + "@example.com", "cors-Kettle-Sky-4");

        HttpResponse<String> preflight = send("OPTIONS", "/kok/products/101", null, null, Map.of(
                "Origin", APP, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"));
        assertThat(preflight.body(), preflight.statusCode(), is(204));
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null), is(APP));

        HttpResponse<String> get = send("GET", "/kok/products/101", null, null, Map.of("Origin", APP));
        assertThat(get.statusCode(), is(200));
        assertThat(get.headers().firstValue("Access-Control-Allow-Origin").orElse(null), is(APP));
        assertThat(get.headers().firstValue("Access-Control-Expose-Headers").orElse(""), is("Location, Retry-After, ETag, Link"));

        for (String refused : List.of("http://localhost:3000", "https://evil.example")) {
            HttpResponse<String> other = send("OPTIONS", "/kok/products/101", null, null, Map.of(
                    "Origin", refused, "Access-Control-Request-Method", "GET"));
            assertThat(refused, other.statusCode(), is(403));
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin").orElse(null), is(nullValue()));
            assertThat(send("GET", "/health", null, null, Map.of("Origin", refused))
                               .headers().firstValue("Access-Control-Allow-Origin").orElse(null), is(nullValue()));
        }

        WebSocket accepted = connect("/chat/ws?token=" + token, APP, new Frames()).join();
        accepted.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        assertThat(upgradeRefusal("/chat/ws?token=" + token, "https://evil.example"), is(403));
        assertThat(upgradeRefusal("/ai/ws?token=" + token, "https://evil.example"), is(403));
    }

    /**
     * Traffic first — a chat message over the WebSocket (fan-out histogram), an AI reply (reply histograms), CORS
     * preflights on an id path, a 404 and the upgrades — then the exposition as Prometheus tooling reads it.
     */
    @Test
    void metricsAreWhatPromtoolAccepts() throws Exception {
        String token = registerAndLogin("metrics-" + System.nanoTime() + "@example.com", "metrics-Kettle-Sky-4");
        Frames frames = new Frames();
        WebSocket chat = connect("/chat/ws?token=" + token, null, frames).join(); // no Origin, as from wscat
        chat.sendText("{\"action\":\"joinGroup\",\"groupId\":\"metrics\"}", true).join();
        chat.sendText("{\"action\":\"sendMessage\",\"groupId\":\"metrics\",\"message\":\"hello\"}", true).join();
        frames.await("\"type\":\"message\"");
        chat.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        connect("/ai/ws?token=" + token, null, new Frames()).join().sendClose(WebSocket.NORMAL_CLOSURE, "").join();

        HttpResponse<String> conversation = send("POST", "/ai/conversations", token, "{\"title\":\"metrics\"}", Map.of());
        assertThat(conversation.body(), conversation.statusCode(), is(201));
        String id = Json.parse(conversation.body()).path("id").asText();
        HttpResponse<String> reply = send("POST", "/ai/conversations/" + id + "/messages", token, "{\"content\":\"hi\"}", Map.of());
        assertThat(reply.body(), reply.statusCode(), is(201));
        for (String path : List.of("/kok/products/101", "/kok/products/102", "/recipes/7")) {
            send("OPTIONS", path, null, null, Map.of("Origin", APP, "Access-Control-Request-Method", "GET"));
        }
        send("GET", "/no/such/thing/42", null, null, Map.of());

        String metrics = send("GET", "/observe/metrics", null, null, Map.of()).body();
        List<String> problems = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Matcher type = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(metrics);
        while (type.find()) {
            types.put(type.group(1), type.group(2));
        }
        Pattern route = Pattern.compile("route=\"([^\"]*)\"");
        for (String line : metrics.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String name = line.split("[{ ]", 2)[0];
            if (line.contains("quantile=")) {
                problems.add("client-side quantile: " + line);
            }
            if (!name.matches("[a-z_:][a-z0-9_:]*")) {
                problems.add("not snake_case: " + name);
            }
            if (name.endsWith("_count") && !"histogram".equals(types.get(name.substring(0, name.length() - 6)))) {
                problems.add("_count outside a histogram: " + name);
            }
            Matcher r = route.matcher(line);
            if (r.find() && !r.group(1).equals("unmatched") && r.group(1).matches(".*/[0-9]+(/.*)?")) {
                problems.add("raw path as route: " + line);
            }
        }
        assertThat(problems, is(empty()));
        assertThat(metrics, containsString("http_server_requests_total{method=\"GET\",route=\"/chat/ws\",scope=\"application\",status=\"101\","));
        assertThat(metrics, containsString("http_server_requests_total{method=\"GET\",route=\"/ai/ws\",scope=\"application\",status=\"101\","));
        assertThat(metrics, containsString("http_server_requests_total{method=\"OPTIONS\",route=\"unmatched\",scope=\"application\",status=\"204\","));
        assertThat(metrics, containsString("chat_fanout_latency_seconds_bucket{"));
        assertThat(metrics, containsString("assistant_reply_duration_seconds_bucket{"));
        assertThat(metrics, containsString("jvm_memory_used_bytes{area=\"heap\""));

        boolean promtool = new ProcessBuilder("sh", "-c", "command -v promtool").start().waitFor() == 0;
        if (!promtool && System.getenv("PLAZA_REQUIRE_PROMTOOL") != null) {
            throw new AssertionError("promtool is required (PLAZA_REQUIRE_PROMTOOL): apt-get install prometheus");
        }
        Assumptions.assumeTrue(promtool, "promtool not installed (Debian package prometheus): its check skipped");
        Process check = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = check.getOutputStream()) {
            in.write(metrics.getBytes(StandardCharsets.UTF_8));
        }
        String complaints = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("promtool check metrics says: " + complaints, check.waitFor(), is(0));
        assertThat(complaints, is(""));
    }

    /**
     * Failures that carry secrets: duplicate registrations (MariaDB's duplicate-key errors name the e-mail), wrong
     * passwords, malformed and mistyped bodies holding a password and e-mail, a chunked body with a chunk extension,
     * an unknown e-mail at forgot-password. None of those e-mails, passwords or the access token may reach the log.
     */
    @Test
    void logsOfFailuresHoldNoEmailsPasswordsOrTokens() throws Exception {
        String email = "secret-" + System.nanoTime() + "@example.com";
        String password = "Secret-Kettle-Sky-4";
        String token = registerAndLogin(email, password);
        List<String> secrets = new ArrayList<>(List.of(email, password, token));
        for (int i = 0; i < 3; i++) {
            String again = "Again-Secret-" + i + "-Sky";
            secrets.add(again);
            assertThat(send("POST", "/auth/register", null,
                            "{\"email\":\"" + email + "\",\"password\":\"" + again + "\",\"name\":\"D\"}", Map.of()).statusCode(), is(409));
            String wrong = "Wrong-Secret-" + i + "-Sky";
            secrets.add(wrong);
            assertThat(send("POST", "/auth/login", null, "{\"email\":\"" + email + "\",\"password\":\"" + wrong + "\"}", Map.of())
                               .statusCode(), is(401));
        }
        // Parallel registrations of one new address: all but one pass the "taken?" check and hit the unique key.
        for (int round = 0; round < 2; round++) {
            String raced = "raced-" + round + "-" + System.nanoTime() + "@example.com";
            secrets.add(raced);
            List<CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                racing.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/auth/register"))
                                                  .header("Content-Type", "application/json")
                                                  .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + raced
                                                          + "\",\"password\":\"" + password + "\",\"name\":\"R\"}")).build(),
                                          HttpResponse.BodyHandlers.ofString()));
            }
            racing.forEach(CompletableFuture::join);
        }
        String other = "other-" + System.nanoTime() + "@example.com";
        secrets.add(other);
        secrets.add("Broken-Body-Secret-1");
        List<String> badBodies = List.of(
                "{\"email\":\"" + other + "\",\"password\":\"Broken-Body-Secret-1\"",
                "{\"email\":\"" + other + "\",\"password\":\"Broken-Body-Secret-1\",\"name\":{\"x\":[1,2]}}",
                "[\"" + other + "\",\"Broken-Body-Secret-1\"]",
                "{\"email\":[\"" + other + "\"],\"password\":\"Broken-Body-Secret-1\"}");
        for (String body : badBodies) {
            int status = send("POST", "/auth/register", null, body, Map.of()).statusCode();
            assertThat(body, status >= 400 && status < 500, is(true));
            send("POST", "/auth/login", null, body, Map.of());
        }
        send("POST", "/auth/forgot-password", null, "{\"email\":\"" + other + "\"}", Map.of());
        send("GET", "/users/me", "not-" + token, null, Map.of());
        String chunk = "{\"email\":\"" + other + "\",\"password\":\"Broken-Body-Secret-1\",\"name\":\"C\"}";
        raw("POST /auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            + "Connection: close\r\n\r\n" + Integer.toHexString(chunk.length()) + ";ext=1\r\n" + chunk + "\r\n0\r\n\r\n");

        Thread.sleep(500); // the handler writes each record at once; give the last ones a moment
        String written = Files.readString(log);
        assertThat("the log has JSON lines from the production config", written, containsString("\"level\":\"INFO\""));
        List<String> leaked = secrets.stream().filter(written::contains).toList();
        assertThat("secrets in " + log, leaked, is(empty()));
        assertThat(written, not(containsString("@example.com")));
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private String registerAndLogin(String email, String password) throws Exception {
        HttpResponse<String> registered = send("POST", "/auth/register", null,
                                               "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"C\"}", Map.of());
        assertThat(registered.body(), registered.statusCode(), is(201));
        HttpResponse<String> login = send("POST", "/auth/login", null,
                                          "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", Map.of());
        assertThat(login.body(), login.statusCode(), is(200));
        return Json.parse(login.body()).path("access_token").asText();
    }

    private HttpResponse<String> send(String method, String path, String token, String json, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            req.header("Content-Type", "application/json");
        }
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        headers.forEach(req::header);
        return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<WebSocket> connect(String path, String origin, Frames frames) {
        WebSocket.Builder ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (origin != null) {
            ws.header("Origin", origin);
        }
        return ws.buildAsync(URI.create("ws://127.0.0.1:" + port + path), frames);
    }

    /** The status a refused upgrade got. */
    private int upgradeRefusal(String path, String origin) {
        try {
            connect(path, origin, new Frames()).join().abort();
            throw new AssertionError("upgrade from " + origin + " was accepted");
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** Sends raw bytes and returns what came back before the server closed (or 5 s passed). */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.net.SocketTimeoutException slow) {
                return "";
            }
        }
    }

    /** Text frames a socket received. */
    private static final class Frames implements WebSocket.Listener {
        private final List<String> received = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            synchronized (received) {
                partial.append(data);
                if (last) {
                    received.add(partial.toString());
                    partial.setLength(0);
                    received.notifyAll();
                }
            }
            webSocket.request(1);
            return null;
        }

        void await(String fragment) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 10_000;
            synchronized (received) {
                while (received.stream().noneMatch(f -> f.contains(fragment))) {
                    long left = deadline - System.currentTimeMillis();
                    assertThat("a frame with " + fragment + " among " + received, left > 0, is(true));
                    received.wait(left);
                }
            }
        }
    }
}
