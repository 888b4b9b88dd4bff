package plaza.standalone;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

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
import plaza.platform.http.Json;
import plaza.platform.observe.LogLines;
import plaza.platform.openapi.ApiDescriptions;

/**
 * Hostile input generated from the OpenAPI descriptions, against a real standalone on its embedded databases.
 * Each try (jqwik; seed in its report, {@code -Dhostile.cases=N} tries, 200 by default) sends one request to every
 * described operation, built from that operation's parameters and body schema: the example, boundary values (limits
 * and limits ±1, empty, maximum sizes), every field with wrong types, missing required and unknown fields,
 * malformed and truncated JSON, 10,000-deep nesting, huge strings, NUL, lone surrogates, invalid UTF-8, wrong and
 * missing Content-Type, non-objects, an oversized body, injection strings, path traversal, absurd numbers (2^63,
 * 1e309); with no token, a user's, another user's, an admin's, a tampered one, {@code alg: none}, and garbage.
 * Required: no 5xx, nothing slower than 5 s, every 4xx an RFC 9457 problem+json (a validation problem naming its
 * fields), every JSON 2xx parseable, and afterwards the server ready with no SEVERE log line.
 */
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES = List.of("auth", "chat", "assistant", "catalog", "recipe", "events");
    /** Operations left out: they would end the fixtures' own sessions or accounts mid-run. */
    private static final List<String> SKIPPED = List.of("DELETE /users/me", "POST /auth/logout-all", "POST /auth/logout",
                                                        "POST /users/me/password");
    private static final List<String> HOSTILE_STRINGS = List.of(
            "", " ", "\u0000", "a\u0000b", "' OR '1'='1", "\"; DROP TABLE users; --", "<script>alert(1)</script>",
            "../../../../etc/passwd", "..\\..\\windows\\win.ini", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "%00", "%s%n",
            "😀".repeat(300), "x".repeat(100_000), "9223372036854775808", "1e309", "NaN", "null", "\u202e\u0301", "\t\r\n");
    private static final List<String> ABSURD_NUMBERS = List.of(
            "9223372036854775808", "-9223372036854775809", "1e309", "-1e309", "1e-400", "2147483648", "-1", "0", "1.5",
            "100000000000000000000000000000", "-0");
    private static final List<String> WRONG_TYPES = List.of("\"text\"", "42", "true", "null", "[]", "{}", "[1,2]",
                                                            "{\"a\":1}", "-1", "1e309");

    private static Standalone plaza;
    private static HttpClient http;
    private static String base;
    private static final List<Operation> OPERATIONS = new ArrayList<>();
    private static final Map<String, String> TOKENS = new java.util.LinkedHashMap<>();
    /** Every log line written while the suite runs; none may be SEVERE (an unhandled error, a driver's failure). */
    private static LogLines logLines;

    record Operation(String method, String path, List<JsonNode> parameters, JsonNode bodySchema, JsonNode bodyExample,
                     String bodyType) {
        String name() {
            return method + " " + path;
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        logLines = LogLines.capture();
        Config config = PlazaConfig.override(Config.empty(), Map.of(
                "server.port", "0", "server.host", "127.0.0.1",
                "standalone.data-dir", Files.createTempDirectory("plaza-hostile").toString(),
                "plaza.access-log.enabled", "false",
                "auth.admin.email", "root@plaza.test", "auth.admin.password", "admin-Granite-Orchard-5"));
        plaza = Standalone.start(config);
        base = "http://127.0.0.1:" + plaza.port();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        TOKENS.put("none", null);
        TOKENS.put("user", token("hostile-a@example.com", "orange-Kettle-Sky-4"));
        TOKENS.put("other user", token("hostile-b@example.com", "purple-Window-Lake-6"));
        TOKENS.put("admin", login("root@plaza.test", "admin-Granite-Orchard-5"));
        String user = TOKENS.get("user");
        String[] parts = user.split("\\.");
        TOKENS.put("tampered", parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1));
        TOKENS.put("alg none", Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                               + "." + parts[1] + ".");
        TOKENS.put("garbage", "not-a-jwt");

        JsonNode doc = JSON.valueToTree(ApiDescriptions.merged(SERVICES));
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getKey().startsWith("/observe")) {
                continue; // not HTTP input handling; health is checked after every try
            }
            List<JsonNode> shared = new ArrayList<>();
            path.getValue().path("parameters").forEach(p -> shared.add(resolve(doc, p)));
            path.getValue().fields().forEachRemaining(op -> {
                if (!List.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
                    return;
                }
                String method = op.getKey().toUpperCase();
                if (SKIPPED.contains(method + " " + path.getKey())) {
                    return;
                }
                List<JsonNode> parameters = new ArrayList<>(shared);
                op.getValue().path("parameters").forEach(p -> parameters.add(resolve(doc, p)));
                JsonNode body = resolve(doc, op.getValue().path("requestBody"));
                JsonNode schema = null;
                JsonNode example = null;
                String type = null;
                Iterator<Map.Entry<String, JsonNode>> content = body.path("content").fields();
                if (content.hasNext()) {
                    Map.Entry<String, JsonNode> media = content.next();
                    type = media.getKey();
                    schema = inline(doc, media.getValue().path("schema"));
                    example = media.getValue().path("example");
                }
                OPERATIONS.add(new Operation(method, path.getKey(), parameters, schema, example, type));
            });
        }
        System.out.println("HostileInputTest: " + OPERATIONS.size() + " operations, one case each per try; "
                           + "tries from -Dhostile.cases (jqwik.tries.default)");
    }

    @AfterContainer
    static void stop() {
        if (plaza != null) {
            plaza.close();
        }
    }

    // A fixed seed: the build's cases are the same every run, so a red build is a regression rather than the luck of
    // the draw; -Dhostile.cases=N continues the same sequence past the first 200 tries and so explores new cases.
    @Property(shrinking = ShrinkingMode.OFF, seed = "20261204")
    void everyOperationSurvivesHostileInput(@ForAll Random random) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Operation op : OPERATIONS) {
            Case c = generate(op, random);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + c.target())).timeout(Duration.ofSeconds(10));
            if (c.contentType() != null) {
                request.header("Content-Type", c.contentType());
            }
            if (c.token() != null) {
                request.header("Authorization", "Bearer " + c.token());
            }
            if (c.body() != null && c.body().length > 1024 * 1024) {
                // Over the limit: the server answers 413 and closes; without 100-continue the client would still be
                // writing and lose that answer to the connection reset.
                request.expectContinue(true);
            }
            request.method(op.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
            long start = System.nanoTime();
            HttpResponse<String> res;
            try {
                res = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                failures.add(c.describe(op) + " → no response: " + e);
                continue;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            String problem = check(res, millis, op.path());
            if (problem != null) {
                failures.add(c.describe(op) + " → " + res.statusCode() + " in " + millis + " ms: " + problem + "; body "
                             + shorten(res.body()));
            }
        }
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/health/ready")).build(),
                                               HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() != 200) {
            failures.add("not ready afterwards: " + ready.statusCode() + " " + shorten(ready.body()));
        }
        logLines.sync();
        List<String> severe = logLines.raw().stream().filter(l -> Json.parse(l).path("level").asText().equals("SEVERE")).toList();
        if (!severe.isEmpty()) {
            failures.add("SEVERE log lines: " + severe);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " bad answers:\n" + String.join("\n", failures));
        }
    }

    /**
     * Why the answer breaks the rules, or null. OAuth's endpoints answer errors as their standards say instead of
     * problem+json: RFC 6749 §5.2 JSON ({@code error}, {@code error_description}) from token, revoke and introspect,
     * and an HTML page from the browser-facing authorize and logout.
     */
    private static String check(HttpResponse<String> res, long millis, String path) {
        int status = res.statusCode();
        if (status >= 500) {
            return "a 5xx";
        }
        if (millis > 5000) {
            return "slower than 5 s";
        }
        String type = res.headers().firstValue("Content-Type").orElse("");
        if (status >= 400 && path.startsWith("/auth/oauth/") && !type.startsWith("application/problem+json")) {
            if (type.startsWith("text/html") && (path.endsWith("/authorize") || path.endsWith("/logout"))) {
                return null;
            }
            try {
                JsonNode error = JSON.readTree(res.body());
                return type.startsWith("application/json") && error.path("error").isTextual()
                       && error.path("error_description").isTextual() ? null : "an OAuth error that is not RFC 6749 JSON";
            } catch (Exception e) {
                return "an OAuth error that is not JSON";
            }
        }
        if (status >= 400) {
            if (!type.startsWith("application/problem+json")) {
                return "a 4xx that is not problem+json (" + type + ")";
            }
            try {
                JsonNode p = JSON.readTree(res.body());
                if (p.path("status").asInt() != status || !p.path("type").isTextual() || !p.path("title").isTextual()
                    || !p.path("detail").isTextual()) {
                    return "a problem without type, title, detail and its status";
                }
                if (p.path("type").asText().endsWith("/validation") && p.path("errors").isEmpty()) {
                    return "a validation problem naming no field";
                }
            } catch (Exception e) {
                return "a problem body that is not JSON";
            }
        } else if (status >= 200 && status < 300 && type.startsWith("application/json") && !res.body().isEmpty()) {
            try {
                JSON.readTree(res.body());
            } catch (Exception e) {
                return "a JSON 2xx that does not parse";
            }
        }
        return null;
    }

    record Case(String target, String token, String tokenKind, String contentType, byte[] body, String what) {
        String describe(Operation op) {
            return op.name() + " [" + what + ", token " + tokenKind + ", Content-Type " + contentType + "] "
                   + shorten(target) + (body == null ? "" : " body " + shorten(new String(body, StandardCharsets.UTF_8)));
        }
    }

    private static Case generate(Operation op, Random r) {
        StringBuilder path = new StringBuilder();
        StringBuilder query = new StringBuilder();
        List<String> what = new ArrayList<>();
        String template = op.path();
        for (JsonNode p : op.parameters()) {
            String name = p.path("name").asText();
            String in = p.path("in").asText();
            if (in.equals("header")) {
                continue;
            }
            String value;
            if (in.equals("path")) {
                value = r.nextInt(3) == 0 ? hostile(r, p.path("schema"), what, name) : text(p.path("example"), "1");
                template = template.replace("{" + name + "}", URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
                continue;
            }
            int pick = r.nextInt(4);
            if (pick == 0) {
                continue; // left out
            }
            value = pick == 1 ? text(p.path("example"), "1") : hostile(r, p.path("schema"), what, name);
            query.append(query.isEmpty() ? '?' : '&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        if (r.nextInt(10) == 0) {
            query.append(query.isEmpty() ? '?' : '&').append("unknown=%FF%FE");
            what.add("unknown param, invalid UTF-8");
        }
        path.append(template);
        if (r.nextInt(40) == 0) {
            path.append("/..%2F..%2Fetc%2Fpasswd");
            what.add("traversal");
        }
        List<String> kinds = new ArrayList<>(TOKENS.keySet());
        String kind = kinds.get(r.nextInt(kinds.size()));
        if (r.nextBoolean()) {
            kind = r.nextBoolean() ? "user" : "admin"; // half the cases get past authentication
        }
        String contentType = null;
        byte[] body = null;
        if (op.bodyType() != null) {
            contentType = op.bodyType();
            Body b = body(op, r);
            body = b.bytes();
            what.add(b.what());
            if (b.contentType() != null) {
                contentType = b.contentType().isEmpty() ? null : b.contentType();
            }
        }
        return new Case(path + query.toString(), TOKENS.get(kind), kind, contentType, body, String.join(", ", what));
    }

    private record Body(byte[] bytes, String what, String contentType) {
        static Body of(String json, String what) {
            return new Body(json.getBytes(StandardCharsets.UTF_8), what, null);
        }
    }

    private static Body body(Operation op, Random r) {
        JsonNode example = op.bodyExample() == null || op.bodyExample().isMissingNode() ? JSON.createObjectNode() : op.bodyExample();
        String exampleText = example.isTextual() ? example.asText() : example.toString();
        JsonNode properties = op.bodySchema() == null ? JSON.createObjectNode() : op.bodySchema().path("properties");
        List<String> fields = new ArrayList<>();
        properties.fieldNames().forEachRemaining(fields::add);
        String field = fields.isEmpty() ? "x" : fields.get(r.nextInt(fields.size()));
        switch (r.nextInt(16)) {
            case 0, 1:
                return Body.of(exampleText, "the example");
            case 2, 3: {
                ObjectNode o = object(example);
                String wrong = WRONG_TYPES.get(r.nextInt(WRONG_TYPES.size()));
                return Body.of(withRaw(o, field, wrong), field + " = " + wrong);
            }
            case 4, 5: {
                ObjectNode o = object(example);
                String v = boundary(r, properties.path(field));
                return Body.of(withRaw(o, field, v), field + " at a limit: " + shorten(v));
            }
            case 6: {
                ObjectNode o = object(example);
                List<String> required = new ArrayList<>();
                op.bodySchema().path("required").forEach(f -> required.add(f.asText()));
                String gone = required.isEmpty() ? field : required.get(r.nextInt(required.size()));
                o.remove(gone);
                return Body.of(o.toString(), "without " + gone);
            }
            case 7: {
                ObjectNode o = object(example);
                o.put("unknownField", "x");
                return Body.of(o.toString(), "an unknown field");
            }
            case 8:
                return Body.of(exampleText.substring(0, r.nextInt(Math.max(1, exampleText.length()))), "truncated JSON");
            case 9: {
                int depth = 10_000;
                String deep = r.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
                return Body.of(deep, "10,000-deep nesting");
            }
            case 10: {
                String s = List.of("\\u0000", "\\ud800", "\\udfff x", "a\\u0000b").get(r.nextInt(4));
                return Body.of(withRaw(object(example), field, "\"" + s + "\""), field + " with " + s);
            }
            case 11: {
                byte[] json = withRaw(object(example), field, "\"AB\"").getBytes(StandardCharsets.UTF_8);
                String text = new String(json, StandardCharsets.ISO_8859_1);
                int at = text.indexOf("\"AB\"") + 1;
                json[at] = (byte) 0xC3;
                json[at + 1] = (byte) (r.nextBoolean() ? 0x28 : 0xFF);
                return new Body(json, field + " with invalid UTF-8", null);
            }
            case 12: {
                String type = List.of("text/plain", "application/xml", "", "application/x-www-form-urlencoded",
                                      "application/json; charset=latin1").get(r.nextInt(5));
                return new Body(exampleText.getBytes(StandardCharsets.UTF_8), "Content-Type '" + type + "'", type);
            }
            case 13:
                return Body.of(List.of("", "[]", "\"x\"", "42", "null", "{}", "{,}", "\u0000").get(r.nextInt(8)), "not an object");
            case 14:
                return Body.of(withRaw(object(example), field, "\"" + "x".repeat(r.nextBoolean() ? 200_000 : 1_100_000) + "\""),
                               field + " huge");
            default: {
                String hostile = HOSTILE_STRINGS.get(r.nextInt(HOSTILE_STRINGS.size()));
                return Body.of(withRaw(object(example), field, JSON.valueToTree(hostile).toString()),
                               field + " = " + shorten(hostile));
            }
        }
    }

    /** A value at or just past the schema's limits (or an absurd one where it has none). */
    private static String boundary(Random r, JsonNode schema) {
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asText() : schema.path("type").asText();
        if (type.equals("integer") || type.equals("number")) {
            List<String> values = new ArrayList<>(ABSURD_NUMBERS);
            if (schema.has("maximum")) {
                long max = schema.get("maximum").asLong();
                values.addAll(List.of(Long.toString(max), Long.toString(max + 1)));
            }
            if (schema.has("minimum")) {
                long min = schema.get("minimum").asLong();
                values.addAll(List.of(Long.toString(min), Long.toString(min - 1)));
            }
            return values.get(r.nextInt(values.size()));
        }
        if (type.equals("array")) {
            int max = schema.path("maxItems").asInt(50);
            int n = r.nextBoolean() ? max + 1 : r.nextBoolean() ? 0 : max;
            return "[" + String.join(",", java.util.Collections.nCopies(n, "\"x\"")) + "]";
        }
        int max = schema.path("maxLength").asInt(1000);
        int n = r.nextBoolean() ? max + 1 : r.nextBoolean() ? 0 : max;
        return "\"" + (r.nextBoolean() ? "x" : "가").repeat(n) + "\"";
    }

    /** A query or path value: past a limit, of the wrong type, or hostile. */
    private static String hostile(Random r, JsonNode schema, List<String> what, String name) {
        String value = switch (r.nextInt(3)) {
            case 0 -> boundary(r, schema).replaceAll("^\"|\"$", "");
            case 1 -> ABSURD_NUMBERS.get(r.nextInt(ABSURD_NUMBERS.size()));
            default -> HOSTILE_STRINGS.get(r.nextInt(HOSTILE_STRINGS.size()));
        };
        // Kept well under the request-line limit (max-prologue-length): what the server does past it is the
        // framing tests' subject, not the operations'.
        while (URLEncoder.encode(value, StandardCharsets.UTF_8).length() > 1000) {
            value = value.substring(0, value.length() / 2);
        }
        what.add(name + "=" + shorten(value));
        return value;
    }

    private static ObjectNode object(JsonNode example) {
        return example.isObject() ? ((ObjectNode) example).deepCopy() : JSON.createObjectNode();
    }

    /** The object as JSON with {@code field} set to raw JSON text (which may be invalid, e.g. 1e309). */
    private static String withRaw(ObjectNode o, String field, String raw) {
        o.put(field, "\u0001PLACEHOLDER\u0001");
        return o.toString().replace("\"\\u0001PLACEHOLDER\\u0001\"", raw);
    }

    private static String text(JsonNode example, String otherwise) {
        if (example == null || example.isMissingNode() || example.isNull()) {
            return otherwise;
        }
        if (example.isArray()) {
            List<String> parts = new ArrayList<>();
            example.forEach(e -> parts.add(e.asText()));
            return String.join(",", parts);
        }
        return example.asText();
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 5 && current.has("$ref"); i++) {
            current = doc.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    /** The schema with its top-level and property $refs followed (enough for limits and field names). */
    private static JsonNode inline(JsonNode doc, JsonNode schema) {
        JsonNode s = resolve(doc, schema).deepCopy();
        if (s.has("properties")) {
            ObjectNode props = (ObjectNode) s.get("properties");
            props.fieldNames().forEachRemaining(f -> props.set(f, resolve(doc, props.get(f))));
        }
        return s;
    }

    private static String token(String email, String password) throws Exception {
        post("/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"H\"}");
        return login(email, password);
    }

    private static String login(String email, String password) throws Exception {
        String body = post("/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        return JSON.readTree(body).path("access_token").asText();
    }

    private static String post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                                 .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                         HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…(" + s.length() + " chars)";
    }
}
