package plaza.standalone;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.config.Config;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import plaza.platform.config.PlazaConfig;
import plaza.testing.AsyncApiContract;
import plaza.testing.HostileInput;
import plaza.testing.RawWs;

/**
 * Hostile frames generated from the AsyncAPI documents of both WebSockets ({@code /chat/ws}, {@code /ai/ws}), against
 * a real standalone on its embedded databases, on raw sockets (frames written by hand). Each try (jqwik, fixed seed,
 * {@code -Dhostile.cases=N} tries, 200 by default) opens one connection per socket and sends one case built from a
 * documented action's example: as it is, split into fragments, a field of a wrong type, missing or unknown fields,
 * hostile strings (NUL, lone surrogates, 100,000 characters, injection), absurd numbers, bad requestIds, unknown
 * actions, malformed and truncated JSON, 10,000-deep nesting, oversized frames, binary frames, invalid UTF-8, bad
 * fragment sequences and control frames; then a {@code ping} action. Required: every text frame the server sends is
 * a documented frame valid against its message (no {@code internal} or 5xx error), and the connection either answers
 * the ping or closes with a documented close code (never a dropped connection or silence); after every try the server
 * is healthy, and no SEVERE line was logged.
 */
class WebSocketHostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** In a fixed order (the seed reproduces a run only if the sockets take their cases in the same order). */
    private static final Map<String, String> SOCKETS = new LinkedHashMap<>();

    static {
        SOCKETS.put("chat", "/chat/ws");
        SOCKETS.put("assistant", "/ai/ws");
    }

    private static final List<String> WRONG_TYPES = List.of("\"text\"", "42", "true", "null", "[]", "{}", "[1,2]", "{\"a\":1}",
                                                            "-1", "1.5", "\"\"");
    /** JSON string literals (as sent): NUL, a lone surrogate, controls, injection, traversal, huge. */
    private static final List<String> HOSTILE_STRINGS = List.of(
            "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0007\\u001b[2J\"",
            "\"' OR '1'='1\"", "\"\\\"; DROP TABLE chat_messages; --\"", "\"<script>alert(1)</script>\"",
            "\"../../../../etc/passwd\"", "\"${jndi:ldap://127.0.0.1/a}\"", "\"" + "😀".repeat(5000) + "\"",
            "\"" + "x".repeat(100_000) + "\"", "\"\\u202e\\u0301\"", "\"grüße 김치\"");
    private static final List<String> ABSURD_NUMBERS = List.of("9223372036854775808", "-9223372036854775809", "1e309", "-1e309",
                                                               "1e-400", "2147483648", "-1", "0", "1.5", "-0",
                                                               "100000000000000000000000000000");
    private static final List<String> BAD_REQUEST_IDS = List.of("true", "1e309", "\"" + "r".repeat(101) + "\"", "\"\\ud800\"",
                                                                "{}", "[]", "\"\"", "1.5", "9223372036854775808");

    private static Standalone plaza;
    private static HttpClient http;
    private static String base;
    private static String token;
    private static String conversationId;
    private static final Map<String, AsyncApiContract> CONTRACTS = new LinkedHashMap<>();
    private static final Map<String, Integer> OUTCOMES = new TreeMap<>();
    private static final List<String> SEVERE_LINES = new CopyOnWriteArrayList<>();
    private static final Handler SEVERE_COUNTER = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                SEVERE_LINES.add(record.getLoggerName() + ": " + record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeContainer
    static void start() throws Exception {
        Logger.getLogger("").addHandler(SEVERE_COUNTER);
        Config config = PlazaConfig.override(Config.empty(), Map.of(
                "server.port", "0", "server.host", "127.0.0.1",
                "standalone.data-dir", Files.createTempDirectory("plaza-ws-hostile").toString(),
                "plaza.access-log.enabled", "false"));
        plaza = Standalone.start(config);
        base = "http://127.0.0.1:" + plaza.port();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        post("/auth/register", "{\"email\":\"ws-hostile@example.com\",\"password\":\"amber-Harbor-Field-8\",\"name\":\"W\"}", null);
        token = JSON.readTree(post("/auth/login", "{\"email\":\"ws-hostile@example.com\",\"password\":\"amber-Harbor-Field-8\"}", null))
                .path("access_token").asText();
        conversationId = JSON.readTree(post("/ai/conversations", "{}", token)).path("id").asText();
        SOCKETS.keySet().forEach(s -> CONTRACTS.put(s, AsyncApiContract.of(s)));
        System.out.println("WebSocketHostileInputTest: " + SOCKETS.keySet() + ", one case each per try; tries from "
                           + "-Dhostile.cases (jqwik.tries.default)");
    }

    @AfterContainer
    static void stop() {
        Logger.getLogger("").removeHandler(SEVERE_COUNTER);
        System.out.println("WebSocketHostileInputTest outcomes: " + OUTCOMES);
        if (plaza != null) {
            plaza.close();
        }
    }

    // A fixed seed, as in HostileInputTest: the build's cases are the same every run; -Dhostile.cases=N goes further.
    @Property(shrinking = ShrinkingMode.OFF, seed = "20261208")
    void everyWebSocketSurvivesHostileFrames(@ForAll Random random) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> socket : SOCKETS.entrySet()) {
            AsyncApiContract contract = CONTRACTS.get(socket.getKey());
            Case c = generate(socket.getKey(), contract, random);
            String failure = run(socket.getKey(), socket.getValue(), contract, c);
            if (failure != null) {
                failures.add(socket.getValue() + " [" + c.what() + "] → " + failure);
            }
        }
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health/ready")).build(),
                                               HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() != 200) {
            failures.add("not ready afterwards: " + ready.statusCode() + " " + shorten(ready.body()));
        }
        if (!SEVERE_LINES.isEmpty()) {
            failures.add("SEVERE log lines: " + SEVERE_LINES);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " bad answers:\n" + String.join("\n", failures));
        }
    }

    /** What went wrong on one connection, or null. */
    private static String run(String service, String path, AsyncApiContract contract, Case c) throws IOException {
        try (RawWs ws = RawWs.upgrade(plaza.port(), path, "Authorization: Bearer " + token + "\r\n")) {
            if (ws.status() != 101) {
                return "upgrade answered " + ws.head().lines().findFirst().orElse("nothing");
            }
            if (service.equals("assistant")) {
                RawWs.Frame connected = ws.nextText();
                String problem = textProblem(service, contract, connected);
                if (problem != null) {
                    return "first frame: " + problem;
                }
            }
            try {
                ws.send(c.frames().toArray(byte[][]::new));
                ws.send(RawWs.text("{\"action\":\"ping\",\"requestId\":\"alive\"}"));
            } catch (IOException e) {
                // closed while this was written (an oversized frame): the close frame must still be there to read
            }
            for (int frames = 0; frames < 200; frames++) {
                RawWs.Frame f = ws.read();
                if (f.opcode() == RawWs.TEXT) {
                    String problem = textProblem(service, contract, f);
                    if (problem != null) {
                        return problem;
                    }
                    JsonNode frame = JSON.readTree(f.text());
                    if (frame.path("type").asText().equals("pong")) {
                        count(service + " answered");
                        return null;
                    }
                } else if (f.opcode() == RawWs.CLOSE) {
                    int code = f.closeCode();
                    count(service + " closed " + code);
                    return contract.closeCodes().contains(code) ? null : "closed with " + code + ", not a documented close code";
                } else if (f.opcode() == -1) {
                    return "no answer to the ping action and no close frame within 10 s (or the connection dropped)";
                } else if (f.opcode() != RawWs.PONG && f.opcode() != RawWs.PING) {
                    return "a frame of opcode " + f.opcode();
                }
            }
            return "200 frames without an answer to the ping action";
        }
    }

    /** Why a text frame from the server breaks its AsyncAPI document (or is an internal error), or null. */
    private static String textProblem(String service, AsyncApiContract contract, RawWs.Frame f) {
        if (f.opcode() != RawWs.TEXT) {
            return "expected a text frame, got opcode " + f.opcode();
        }
        JsonNode frame;
        try {
            frame = JSON.readTree(f.text());
        } catch (IOException e) {
            return "a text frame that is not JSON: " + shorten(f.text());
        }
        List<String> problems = contract.frameProblems(frame);
        if (!problems.isEmpty()) {
            return String.join("; ", problems);
        }
        if (frame.path("type").asText().equals("error")) {
            if (frame.path("code").asText().equals("internal") || frame.path("status").asInt() >= 500) {
                return "an internal error: " + shorten(frame.toString());
            }
            count(service + " error " + (service.equals("chat") ? frame.path("code").asText() : frame.path("status").asText()));
        }
        return null;
    }

    record Case(String what, List<byte[]> frames) {
    }

    private static Case generate(String service, AsyncApiContract contract, Random r) {
        List<JsonNode> examples = contract.actionExamples();
        ObjectNode example = (ObjectNode) examples.get(r.nextInt(examples.size())).deepCopy();
        if (service.equals("assistant") && example.has("conversationId") && r.nextInt(4) == 0) {
            example.put("conversationId", conversationId); // a real one: a reply is generated
        }
        String action = example.path("action").asText();
        List<String> fields = new ArrayList<>();
        example.fieldNames().forEachRemaining(fields::add);
        String field = fields.get(r.nextInt(fields.size()));
        String text = example.toString();
        int kind = r.nextInt(17);
        return switch (kind) {
            case 0 -> textCase(action + " as documented", text);
            case 1 -> textCase(action + "." + field + " = wrong type", replace(example, field, pick(r, WRONG_TYPES)));
            case 2 -> {
                example.remove(field);
                yield textCase(action + " without " + field, example.toString());
            }
            case 3 -> textCase(action + " with unknown fields",
                               text.substring(0, text.length() - 1) + ",\"unknown\":" + pick(r, WRONG_TYPES) + ",\"__proto__\":{\"x\":1}}");
            case 4 -> textCase(action + "." + field + " = hostile string", replace(example, field, pick(r, HOSTILE_STRINGS)));
            case 5 -> textCase(action + "." + field + " = absurd number", replace(example, field, pick(r, ABSURD_NUMBERS)));
            case 6 -> textCase(action + " with a bad requestId", replace(example, "requestId", pick(r, BAD_REQUEST_IDS)));
            case 7 -> textCase("unknown action", replace(example, "action", pick(r, List.of("\"fly\"", "\"JOINGROUP\"", "\"\"",
                    "\"joinGroup \"", "\"__proto__\"", "\"constructor\"", "42", "null", "[\"ping\"]", "\"\\u0000\""))));
            case 8 -> {
                int cut = 1 + r.nextInt(Math.max(1, text.length() - 1));
                yield textCase(action + " truncated at " + cut, text.substring(0, cut));
            }
            case 9 -> textCase("not an object", pick(r, List.of("not json", "{", "}", "[]", "42", "null", "\"ping\"", "{\"action\"}",
                    "{\"action\":\"ping\",}", "{'action':'ping'}", "{\"action\":\"ping\"} trailing", "", " ",
                    "{\"action\":\"ping\",\"action\":\"joinGroup\"}", "\uFEFF{\"action\":\"ping\"}")));
            case 10 -> r.nextBoolean()
                    ? textCase("10,000-deep array", "[".repeat(10_000) + "]".repeat(10_000))
                    : textCase(action + " with a 10,000-deep field", text.substring(0, text.length() - 1) + ",\"deep\":"
                                                                     + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}");
            case 11 -> {
                int size = r.nextInt(4) == 0 ? 1_100_000 : 70_000 + r.nextInt(1000);
                yield textCase("oversized frame (" + size + " bytes)", text.substring(0, text.length() - 1)
                                                                      + ",\"pad\":\"" + "p".repeat(size) + "\"}");
            }
            case 12 -> {
                byte[] payload = new byte[r.nextInt(200)];
                r.nextBytes(payload);
                yield new Case("binary frame of " + payload.length + " bytes", List.of(RawWs.frame(RawWs.BINARY, true, payload)));
            }
            case 13 -> {
                List<byte[]> bad = HostileInput.invalidUtf8("{\"action\":\"" + action + "\",\"requestId\":\"", "\"}");
                int i = r.nextInt(bad.size());
                yield new Case("invalid UTF-8 #" + i, List.of(RawWs.frame(RawWs.TEXT, true, bad.get(i))));
            }
            case 14 -> fragments(action, text, r);
            case 15 -> badFrames(r);
            default -> new Case("a WebSocket ping, then " + action, List.of(
                    RawWs.frame(RawWs.PING, true, "are you there".getBytes(StandardCharsets.UTF_8)), RawWs.text(text)));
        };
    }

    /** A valid action split into 2 to 5 fragments (a ping between two of them, as RFC 6455 allows). */
    private static Case fragments(String action, String text, Random r) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int parts = Math.min(bytes.length, 2 + r.nextInt(4));
        List<byte[]> frames = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < parts; i++) {
            int to = i == parts - 1 ? bytes.length : from + Math.max(1, (bytes.length - from) / (parts - i));
            frames.add(RawWs.frame(i == 0 ? RawWs.TEXT : RawWs.CONTINUATION, i == parts - 1, Arrays.copyOfRange(bytes, from, to)));
            if (i == 0 && r.nextBoolean()) {
                frames.add(RawWs.frame(RawWs.PING, true, new byte[]{1, 2, 3}));
            }
            from = to;
        }
        return new Case(action + " in " + parts + " fragments (cut inside UTF-8 characters too)", frames);
    }

    /** Frame sequences RFC 6455 forbids: each must end in a 1002 close (or an error frame), never a hang or a drop. */
    private static Case badFrames(Random r) {
        byte[] ping = "{\"action\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        return switch (r.nextInt(7)) {
            case 0 -> new Case("a continuation with no message", List.of(RawWs.frame(RawWs.CONTINUATION, true, ping)));
            case 1 -> new Case("an unfinished message, then a new one", List.of(RawWs.frame(RawWs.TEXT, false, "{\"act".getBytes(StandardCharsets.UTF_8))));
            case 2 -> new Case("a fragmented ping", List.of(RawWs.frame(RawWs.PING, false, new byte[]{1})));
            case 3 -> new Case("a ping of 126 bytes", List.of(RawWs.frame(RawWs.PING, true, new byte[126])));
            case 4 -> new Case("reserved opcode 0x3", List.of(RawWs.frame(0x3, true, ping)));
            case 5 -> new Case("a close frame of 1 byte", List.of(RawWs.frame(RawWs.CLOSE, true, new byte[]{3})));
            default -> new Case("a close frame with code 999", List.of(RawWs.frame(RawWs.CLOSE, true, new byte[]{3, (byte) 0xE7})));
        };
    }

    private static Case textCase(String what, String text) {
        return new Case(what, List.of(RawWs.text(text)));
    }

    /** The example's JSON with {@code field} set to {@code literal} (raw JSON text, possibly invalid on purpose). */
    private static String replace(ObjectNode example, String field, String literal) {
        StringBuilder json = new StringBuilder("{");
        boolean done = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = example.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            json.append(json.length() > 1 ? "," : "").append(JSON.valueToTree(e.getKey()).toString()).append(':');
            if (e.getKey().equals(field)) {
                json.append(literal);
                done = true;
            } else {
                json.append(e.getValue().toString());
            }
        }
        if (!done) {
            json.append(json.length() > 1 ? "," : "").append('"').append(field).append("\":").append(literal);
        }
        return json.append('}').toString();
    }

    private static String pick(Random r, List<String> values) {
        return values.get(r.nextInt(values.size()));
    }

    private static synchronized void count(String outcome) {
        OUTCOMES.merge(outcome, 1, Integer::sum);
    }

    private static String post(String path, String json, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String shorten(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…(" + s.length() + " chars)";
    }
}
