package plaza.standalone;

import java.net.URI;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.openapi.ApiDescriptions;
import plaza.testing.RawWs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * Who may read and change what, on a real standalone: with another user's token nothing of a user's is readable or
 * changeable (wishlist, bookmarks, conversations, prompts, usage, events, profile, a private chat group over HTTP and
 * over the WebSocket, a conversation over /ai/ws), and every operation the descriptions mark as needing a bearer token
 * refuses a tampered token, an {@code alg: none} token, a token signed by no key of ours' shape and garbage with 401;
 * and every read with valid generated input and ids that exist answers a 2xx (jqwik, fixed seed).
 */
class ApiAccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES = List.of("auth", "chat", "assistant", "catalog", "recipe", "events");
    private static Standalone plaza;
    private static HttpClient http;
    private static String base;
    private static String alice;
    private static String bob;
    private static String aliceId;
    private static String admin;
    private static String adminId;
    /** Ids that exist, by the path template whose parameter they fill. */
    private static final Map<String, String> IDS = new java.util.LinkedHashMap<>();
    private static final List<Read> READS = new ArrayList<>();
    /**
     * Reads not generated: they need what only a mail, an OAuth client or a WebSocket client has (the reset and
     * verification tokens, a registered client's redirect, an upgrade), or are the observation endpoints.
     */
    private static final List<String> NOT_GENERATED = List.of("/auth/reset-password", "/auth/verify-email", "/auth/oauth/authorize",
            "/auth/oauth/logout", "/auth/dev/outbox", "/chat/ws", "/ai/ws", "/observe");

    record Read(String path, List<JsonNode> parameters, String who) {
    }

    /** A write (POST, PUT, PATCH, DELETE) taking a JSON body: its body schema and example, and the token it needs. */
    record Write(String method, String path, JsonNode schema, JsonNode example, String who) {
        String key() {
            return method + " " + path;
        }
    }

    private static final List<Write> WRITES = new ArrayList<>();
    /**
     * Writes whose valid bodies are not generated, each with why: their validity hangs on what the schema cannot say.
     * Printed at the end with the count of those generated.
     */
    private static final Map<String, String> WRITES_NOT_GENERATED = Map.of(
            "POST /auth/reset-password", "needs a single-use token that only the reset mail has",
            "POST /auth/verify-email", "needs a single-use token that only the verification mail has",
            "POST /users/me/password", "needs the current password, and a change ends the sessions the other checks use");
    /**
     * Optional fields not added to bodies and fields kept at their example's value, each with the documented rule
     * across fields or state that a schema cannot express.
     */
    private static final Map<String, String> HELD_FIELDS = Map.ofEntries(
            Map.entry("id", "POST assigns it; in PUT it must equal the path's id"),
            Map.entry("salePrice", "not above price (kept, then capped at the generated price)"),
            Map.entry("discountRate", "derives salePrice when that is left out"),
            Map.entry("promptId", "must name an existing prompt"),
            Map.entry("variables", "a conversation's only go with a promptId"),
            Map.entry("model", "one of GET /ai/models"),
            Map.entry("shared", "a prompt's cannot be changed"),
            Map.entry("userId", "with a token: only one's own"),
            Map.entry("previousId", "an alias's; names the earlier id"),
            Map.entry("type", "names which other fields a Segment call needs"),
            Map.entry("anonymousId", "the identity the example's call is about"),
            Map.entry("grant_types", "client_credentials needs a confidential client, authorization_code a redirect"),
            Map.entry("confidential", "client_credentials needs a confidential client"),
            Map.entry("redirect_uris", "only with authorization_code"),
            Map.entry("productIds", "must name existing products (kept, then set to one that exists)"));

    record Res(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        Config config = PlazaConfig.override(Config.empty(), Map.of(
                "server.port", "0", "server.host", "127.0.0.1",
                "standalone.data-dir", Files.createTempDirectory("plaza-access").toString(),
                "plaza.access-log.enabled", "false", "catalog.demo-data", "true", "recipe.demo-data", "true",
                "auth.admin.email", "access-root@plaza.test", "auth.admin.password", "admin-Quartz-Lagoon-9",
                // the valid writes register and sign in more often than the abuse limits allow one address (AbuseLimitsTest's)
                "auth.rate-limit.enabled", "false"));
        plaza = Standalone.start(config);
        base = "http://127.0.0.1:" + plaza.port();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        alice = token("access-alice@example.com", "coral-Meadow-River-3");
        bob = token("access-bob@example.com", "slate-Orchid-Canyon-7");
        aliceId = call("GET", "/users/me", alice, null).json().path("user_id").asText();
        admin = call("POST", "/auth/login", null, "{\"email\":\"access-root@plaza.test\",\"password\":\"admin-Quartz-Lagoon-9\"}")
                .json().path("access_token").asText();
        adminId = call("GET", "/users/me", admin, null).json().path("user_id").asText();
        IDS.put("/users/{id}", aliceId);
        IDS.put("/events/users/{id}", aliceId);
        IDS.put("/ai/quotas/{userId}", aliceId);
        IDS.put("/kok/products/{id}", firstId("/kok/products"));
        IDS.put("/recipes/{id}", firstId("/recipes"));
        IDS.put("/home-shopping/broadcasts/{id}", call("GET", "/home-shopping/schedule", null, null).json()
                .path("broadcasts").path(0).path("id").asText("1"));
        IDS.put("/ai/conversations/{id}", call("POST", "/ai/conversations", alice, "{\"title\":\"valid\"}").json().path("id").asText());
        IDS.put("/ai/prompts/{id}", call("POST", "/ai/prompts", alice, "{\"name\":\"valid\",\"template\":\"Hi {{x}}\"}")
                .json().path("id").asText());
        try (RawWs ws = RawWs.upgrade(plaza.port(), "/chat/ws", "Authorization: Bearer " + alice + "\r\n")) {
            ws.send(RawWs.text("{\"action\":\"joinGroup\",\"groupId\":\"valid-group\"}"));
            ws.nextText();
            ws.send(RawWs.text("{\"action\":\"sendMessage\",\"message\":\"hello\",\"requestId\":1}"));
            ws.nextText();
        }
        IDS.put("/chat/groups/{groupId}", "valid-group");
        JsonNode doc = JSON.valueToTree(ApiDescriptions.merged(SERVICES));
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            JsonNode get = path.getValue().path("get");
            if (get.isMissingNode() || NOT_GENERATED.stream().anyMatch(path.getKey()::startsWith)) {
                continue;
            }
            List<JsonNode> parameters = new ArrayList<>();
            path.getValue().path("parameters").forEach(p -> parameters.add(resolve(doc, p)));
            get.path("parameters").forEach(p -> parameters.add(resolve(doc, p)));
            JsonNode security = get.has("security") ? get.get("security") : doc.path("security");
            String who = security.isEmpty() ? "none" : security.toString().contains("admin") ? "admin" : "user";
            READS.add(new Read(path.getKey(), parameters, who));
        }
        System.out.println("ApiAccessTest: " + READS.size() + " read operations get valid generated input each try");
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                JsonNode json = resolve(doc, op.getValue().path("requestBody")).path("content").path("application/json");
                if (!List.of("post", "put", "patch", "delete").contains(op.getKey()) || json.isMissingNode()) {
                    continue;
                }
                JsonNode security = op.getValue().has("security") ? op.getValue().get("security") : doc.path("security");
                String who = security.isEmpty() ? "none" : security.toString().contains("admin") ? "admin" : "user";
                Write write = new Write(op.getKey().toUpperCase(), path.getKey(), inline(doc, json.path("schema"), 0),
                                        json.path("example"), who);
                if (!WRITES_NOT_GENERATED.containsKey(write.key())) {
                    WRITES.add(write);
                }
            }
        }
    }

    @AfterContainer
    static void stop() {
        System.out.println("ApiAccessTest: " + WRITES.size() + " write operations with a JSON body get valid generated bodies each try; "
                           + WRITES_NOT_GENERATED.size() + " not generated: " + WRITES_NOT_GENERATED);
        if (plaza != null) {
            plaza.close();
        }
    }

    @Example
    void anotherUsersWishlistAndBookmarksAreNeitherReadableNorChangeable() throws Exception {
        String product = firstId("/kok/products");
        assertThat(call("PUT", "/kok/wishlist/" + product, alice, null).status(), is(204));
        assertThat(call("GET", "/kok/wishlist", bob, null).json().path("total").asInt(), is(0));
        assertThat(call("DELETE", "/kok/wishlist/" + product, bob, null).status(), is(404));
        assertThat(call("GET", "/kok/wishlist", alice, null).json().path("items").get(0).path("product").path("id").asText(), is(product));

        String recipe = firstId("/recipes");
        assertThat(call("PUT", "/recipes/bookmarks/" + recipe, alice, null).status(), is(204));
        assertThat(call("GET", "/recipes/bookmarks", bob, null).json().path("total").asInt(), is(0));
        assertThat(call("DELETE", "/recipes/bookmarks/" + recipe, bob, null).status(), is(404));
        assertThat(call("GET", "/recipes/bookmarks", alice, null).json().path("total").asInt(), is(1));
    }

    @Example
    void anotherUsersConversationsPromptsAndUsageAreNeitherReadableNorChangeable() throws Exception {
        Res created = call("POST", "/ai/conversations", alice, "{\"title\":\"alice-secret-title\"}");
        assertThat(created.body(), created.status(), is(201));
        String id = created.json().path("id").asText();
        String c = "/ai/conversations/" + id;
        for (Res r : List.of(call("GET", c, bob, null), call("PATCH", c, bob, "{\"title\":\"bob was here\"}"),
                             call("POST", c + "/messages", bob, "{\"content\":\"hello\"}"), call("POST", c + "/cancel", bob, null),
                             call("DELETE", c, bob, null))) {
            assertThat(r.body(), r.status(), is(404));
            assertThat(r.body(), not(containsString("alice-secret-title")));
        }
        assertThat(call("GET", "/ai/conversations", bob, null).body(), not(containsString(id)));
        Res still = call("GET", c, alice, null);
        assertThat(still.status(), is(200));
        assertThat(still.json().path("title").asText(), is("alice-secret-title"));

        Res prompt = call("POST", "/ai/prompts", alice, "{\"name\":\"alice-prompt\",\"template\":\"Secret {{x}}\"}");
        assertThat(prompt.body(), prompt.status(), is(201));
        String p = "/ai/prompts/" + prompt.json().path("id").asText();
        for (Res r : List.of(call("GET", p, bob, null), call("PATCH", p, bob, "{\"description\":\"bob\"}"),
                             call("POST", p + "/render", bob, "{\"variables\":{\"x\":\"1\"}}"), call("DELETE", p, bob, null))) {
            assertThat(r.body(), r.status() == 403 || r.status() == 404, is(true));
            assertThat(r.body(), not(containsString("Secret")));
        }
        assertThat(call("GET", "/ai/prompts", bob, null).body(), not(containsString("alice-prompt")));
        assertThat(call("GET", p, alice, null).json().path("description").asText(""), not("bob"));

        assertThat(call("GET", "/ai/usage?userId=" + aliceId, bob, null).status(), is(403));
        assertThat(call("GET", "/ai/usage/quota?userId=" + aliceId, bob, null).status(), is(403));
        assertThat(call("GET", "/ai/quotas/" + aliceId, bob, null).status(), is(403));
        assertThat(call("PUT", "/ai/quotas/" + aliceId, bob, "{\"dailyTokens\":1}").status(), is(403));

        // over /ai/ws: bob's message to alice's conversation is a 404 error frame, and nothing of it is saved
        try (RawWs ws = RawWs.upgrade(plaza.port(), "/ai/ws", "Authorization: Bearer " + bob + "\r\n")) {
            assertThat(ws.status(), is(101));
            ws.nextText(); // connected
            ws.send(RawWs.text("{\"action\":\"message\",\"conversationId\":\"" + id + "\",\"content\":\"mine now\",\"requestId\":\"x\"}"));
            JsonNode error = JSON.readTree(ws.nextText().text());
            assertThat(error.toString(), error.path("type").asText(), is("error"));
            assertThat(error.path("status").asInt(), is(404));
        }
        assertThat(call("GET", c, alice, null).json().path("messages").size(), is(0));
    }

    @Example
    void anotherUsersEventsAndProfileAreNeitherReadableNorChangeable() throws Exception {
        Res tracked = call("POST", "/events/track", alice, "{\"messageId\":\"access-m-1\",\"event\":\"alice-secret-event\",\"properties\":{}}");
        assertThat(tracked.body(), tracked.status() / 100, is(2));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!call("GET", "/events/me", alice, null).body().contains("alice-secret-event")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("alice's event never showed in her /events/me");
            }
            Thread.sleep(200);
        }
        assertThat(call("GET", "/events/me", bob, null).body(), not(containsString("alice-secret-event")));
        assertThat(call("DELETE", "/events/me", bob, null).status() / 100, is(2));
        assertThat(call("GET", "/events/me", alice, null).body(), containsString("alice-secret-event"));
        assertThat(call("GET", "/events/users/" + aliceId, bob, null).status(), is(403));
        assertThat(call("DELETE", "/events/users/" + aliceId, bob, null).status(), is(403));

        assertThat(call("GET", "/users/" + aliceId, bob, null).status(), is(403));
        assertThat(call("POST", "/users/" + aliceId + "/disable", bob, null).status(), is(403));
        assertThat(call("PATCH", "/users/me", bob, "{\"name\":\"Bob B\"}").status(), is(200));
        assertThat(call("GET", "/users/me", alice, null).json().path("name").asText(), not("Bob B"));
    }

    @Example
    void anotherUsersPrivateChatGroupIsNeitherReadableNorJoinable() throws Exception {
        try (RawWs a = RawWs.upgrade(plaza.port(), "/chat/ws", "Authorization: Bearer " + alice + "\r\n")) {
            assertThat(a.status(), is(101));
            a.send(RawWs.text("{\"action\":\"joinGroup\",\"groupId\":\"alice-private\",\"private\":true}"));
            assertThat(a.nextText().text(), containsString("\"joined\""));
            a.send(RawWs.text("{\"action\":\"sendMessage\",\"message\":\"alice-secret-message\",\"requestId\":\"s\"}"));
            String frame;
            do {
                frame = a.nextText().text();
            } while (!frame.contains("\"ack\""));
        }
        for (String path : List.of("/chat/groups/alice-private", "/chat/groups/alice-private/messages")) {
            Res r = call("GET", path, bob, null);
            assertThat(path, r.status(), is(403));
            assertThat(r.body(), not(containsString("alice-secret-message")));
        }
        try (RawWs b = RawWs.upgrade(plaza.port(), "/chat/ws", "Authorization: Bearer " + bob + "\r\n")) {
            for (String action : List.of("{\"action\":\"joinGroup\",\"groupId\":\"alice-private\"}",
                                         "{\"action\":\"history\",\"groupId\":\"alice-private\"}",
                                         "{\"action\":\"invite\",\"groupId\":\"alice-private\",\"userId\":\"" + bobId() + "\"}",
                                         "{\"action\":\"markRead\",\"groupId\":\"alice-private\",\"seq\":1}")) {
                b.send(RawWs.text(action));
                JsonNode answer = JSON.readTree(b.nextText().text());
                assertThat(action + " → " + answer, answer.path("code").asText(), is("forbidden"));
                assertThat(answer.toString(), not(containsString("alice-secret-message")));
            }
        }
    }

    /**
     * Every read (GET) with valid input generated from its parameters' schemas (enums, integers within their bounds,
     * dates, strings within their lengths, optional ones left out), ids that exist, and the token it needs (none, a
     * signed-in user's, an admin's): every answer a 2xx. A fixed seed, {@code -Dhostile.cases=N} tries.
     */
    @Property(shrinking = ShrinkingMode.OFF, seed = "20261209")
    void everyValidReadSucceeds(@ForAll java.util.Random r) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Read read : READS) {
            String target = read.path();
            StringBuilder query = new StringBuilder();
            java.time.LocalDate to = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(r.nextInt(2));
            for (JsonNode p : read.parameters()) {
                String name = p.path("name").asText();
                if (p.path("in").asText().equals("path")) {
                    target = target.replace("{" + name + "}", IDS.getOrDefault(read.path().replaceFirst("/messages$", ""), "1"));
                    continue;
                }
                if (!p.path("in").asText().equals("query") || name.equals("cursor") || name.equals("token") || name.equals("userId")
                    || (!p.path("required").asBoolean() && r.nextInt(3) == 0)) {
                    continue; // left out (a cursor must come from a page; userId is someone else's: ApiAccessTest's other checks)
                }
                for (String value : valid(name, p.path("schema"), p.path("example"), to, r)) {
                    query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                            .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
                }
            }
            String token = switch (read.who()) {
                case "admin" -> admin;
                case "user" -> alice;
                default -> r.nextBoolean() ? null : alice;
            };
            Res res = call("GET", target + query, token, null);
            if (res.status() / 100 != 2) {
                failures.add("GET " + target + query + " (" + read.who() + ") → " + res.status() + " " + res.body());
            }
        }
        assertThat(String.join("\n", failures), failures, empty());
    }

    /**
     * Every write taking a JSON body with a body generated valid from its schema (the example as the base, its fields
     * varied within their types, enums, lengths, bounds, formats and item counts, optional fields added), ids that
     * exist and the token it needs (the user's own, an admin's): every answer a 2xx. A fixed seed; a tenth of
     * {@code -Dhostile.cases=N} tries (20 by default), as every write changes data and takes longer than a read.
     */
    @Example
    void everyValidWriteSucceeds() throws Exception {
        long seed = 20261208L;
        int tries = Math.max(1, Integer.getInteger("jqwik.tries.default", 200) / 10);
        java.util.Random r = new java.util.Random(seed);
        List<String> failures = new ArrayList<>();
        String product = firstId("/kok/products");
        for (int i = 0; i < tries; i++) {
            for (Write write : WRITES) {
                com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode)
                        validBody(write.schema(), write.example(), r);
                String token = write.who().equals("admin") ? admin : write.who().equals("user") || r.nextBoolean() ? alice : null;
                token = sideConditions(write, body, product, i, r, token);
                String target = write.path();
                for (String template : IDS.keySet()) {
                    if (write.path().startsWith(template)) {
                        String id = template.equals("/ai/quotas/{userId}") ? adminId : IDS.get(template); // alice's would stop her asking
                        target = target.replace(template, template.replaceAll("\\{[^}]+}", id));
                    }
                }
                Res res = call(write.method(), target, token, body.toString());
                if (res.status() / 100 != 2) {
                    failures.add("try " + i + " (seed " + seed + "): " + write.method() + " " + target + " (" + write.who() + ") "
                                 + body + " → " + res.status() + " " + res.body());
                }
            }
        }
        System.out.println("ApiAccessTest: " + tries + " tries of " + WRITES.size() + " writes with valid bodies");
        assertThat(String.join("\n", failures), failures, empty());
    }

    /**
     * Rules stated in the descriptions' prose, across fields or on state, that a generated body must also keep; the
     * token to send (a sign-out's is the fresh sign-in's own, not alice's that the other checks use).
     */
    private static String sideConditions(Write write, com.fasterxml.jackson.databind.node.ObjectNode body, String product, int i,
                                         java.util.Random r, String token) throws Exception {
        switch (write.path()) {
            case "/auth/register" -> body.put("email", "gen-" + i + "-" + r.nextInt(1_000_000) + "@example.com"); // unique
            case "/auth/login" -> body.put("email", "access-alice@example.com").put("password", "coral-Meadow-River-3");
            case "/auth/refresh", "/auth/logout" -> {
                JsonNode signIn = call("POST", "/auth/login", null,
                        "{\"email\":\"access-alice@example.com\",\"password\":\"coral-Meadow-River-3\"}").json();
                body.put("refresh_token", signIn.path("refresh_token").asText());
                token = signIn.path("access_token").asText();
            }
            default -> {
            }
        }
        if (body.has("salePrice") && body.has("price")) {
            body.put("salePrice", Math.min(body.get("salePrice").asLong(), body.get("price").asLong()));
        }
        if (body.has("startsAt") && body.has("endsAt")) { // after startsAt, at most 24 hours later
            body.put("endsAt", java.time.OffsetDateTime.parse(body.get("startsAt").asText()).plusMinutes(1 + r.nextInt(24 * 60)).toString());
        }
        if (write.path().endsWith("/render")) { // the variables its prompt's template names (the one made at the start)
            body.putObject("variables").put("x", validString(JSON.createObjectNode().put("maxLength", 20), JSON.missingNode(), r));
        }
        if (write.path().startsWith("/events/")) { // sent now, so after each timestamp: else the corrected time is ahead
            sentNow(body);
        }
        if (body.has("productIds")) {
            body.putArray("productIds").add(Long.parseLong(product));
        }
        return token;
    }

    private static void sentNow(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object && object.has("sentAt")) {
            object.put("sentAt", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString());
        }
        node.forEach(ApiAccessTest::sentNow);
    }

    /** A value valid by the schema, built on the example (kept for the held fields, varied otherwise). */
    private static JsonNode validBody(JsonNode schema, JsonNode example, java.util.Random r) {
        com.fasterxml.jackson.databind.node.JsonNodeFactory f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        String type = schema.path("type").isArray() ? schema.path("type").path(0).asText() : schema.path("type").asText();
        if (schema.has("enum")) {
            return schema.get("enum").get(r.nextInt(schema.get("enum").size()));
        }
        switch (type) {
            case "object" -> {
                if (!schema.has("properties")) {
                    return example.isObject() ? example : f.objectNode();
                }
                com.fasterxml.jackson.databind.node.ObjectNode out = example.isObject() ? example.deepCopy() : f.objectNode();
                java.util.Set<String> required = new java.util.HashSet<>();
                schema.path("required").forEach(n -> required.add(n.asText()));
                for (Iterator<Map.Entry<String, JsonNode>> props = schema.get("properties").fields(); props.hasNext(); ) {
                    Map.Entry<String, JsonNode> prop = props.next();
                    String name = prop.getKey();
                    if (HELD_FIELDS.containsKey(name) || (!out.has(name) && !required.contains(name) && r.nextBoolean())) {
                        continue;
                    }
                    out.set(name, validBody(prop.getValue(), example.path(name), r));
                }
                return out;
            }
            case "array" -> {
                int min = schema.path("minItems").asInt(0);
                int max = Math.min(schema.path("maxItems").asInt(min + 3), min + 3);
                int n = example.isArray() ? Math.max(min, Math.min(max, example.size())) : min + r.nextInt(max - min + 1);
                com.fasterxml.jackson.databind.node.ArrayNode out = f.arrayNode();
                for (int i = 0; i < n; i++) {
                    out.add(validBody(schema.path("items"), example.path(i), r));
                }
                return out;
            }
            case "integer" -> {
                long min = schema.path("minimum").asLong(0);
                long max = Math.min(schema.path("maximum").asLong(min + 100_000), min + 100_000);
                return f.numberNode(min + (long) (r.nextDouble() * (max - min + 1)));
            }
            case "number" -> {
                double min = schema.path("minimum").asDouble(0);
                return f.numberNode(min + r.nextDouble() * (schema.path("maximum").asDouble(min + 1000) - min));
            }
            case "boolean" -> {
                return f.booleanNode(r.nextBoolean());
            }
            case "string" -> {
                return f.textNode(validString(schema, example, r));
            }
            default -> {
                return example.isMissingNode() ? f.textNode("x") : example;
            }
        }
    }

    private static String validString(JsonNode schema, JsonNode example, java.util.Random r) {
        switch (schema.path("format").asText()) {
            case "email" -> {
                return "gen" + r.nextInt(1_000_000) + "@example.com";
            }
            case "uuid" -> {
                return java.util.UUID.randomUUID().toString();
            }
            case "uri" -> {
                return "https://img.example.com/" + r.nextInt(10_000) + ".jpg";
            }
            case "date-time" -> {
                return java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(r.nextInt(19) - 9)).minusMinutes(r.nextInt(60 * 24 * 7))
                        .withNano(0).toString();
            }
            case "date" -> {
                return java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(r.nextInt(30)).toString();
            }
            default -> {
            }
        }
        if (schema.has("pattern")) {
            return example.asText();
        }
        int min = Math.max(1, schema.path("minLength").asInt(0)); // empty strings are HostileInputTest's boundary cases
        int max = Math.min(schema.path("maxLength").asInt(min + 40), min + 40);
        String letters = "abcdefghijklmnopqrstuvwxyz 김치두부 ABCXYZ0123456789";
        StringBuilder out = new StringBuilder(example.isTextual() && r.nextBoolean() ? example.asText() : "");
        int n = min + r.nextInt(max - min + 1);
        while (out.length() < n) {
            out.append(letters.charAt(r.nextInt(letters.length())));
        }
        return out.substring(0, Math.min(out.length(), max)).strip().length() >= min ? out.substring(0, Math.min(out.length(), max)) : example.asText();
    }

    /** The schema with its references resolved (a few levels: the descriptions' schemas are not recursive). */
    private static JsonNode inline(JsonNode doc, JsonNode schema, int depth) {
        JsonNode node = resolve(doc, schema);
        if (depth > 8 || !node.isContainerNode()) {
            return node;
        }
        JsonNode copy = node.deepCopy();
        if (copy.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getKey().equals("example") && !field.getKey().equals("examples")) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).set(field.getKey(), inline(doc, field.getValue(), depth + 1));
                }
            }
        }
        return copy;
    }

    /** Values valid by the schema (an array gives one per item). */
    private static List<String> valid(String name, JsonNode schema, JsonNode example, java.time.LocalDate to, java.util.Random r) {
        if (schema.path("type").asText().equals("array")) {
            int n = Math.max(1, schema.path("minItems").asInt(1)) + r.nextInt(2);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.addAll(valid(name, schema.path("items"), example.path(i), to, r));
            }
            return items;
        }
        if (schema.has("enum")) {
            return List.of(schema.get("enum").get(r.nextInt(schema.get("enum").size())).asText());
        }
        if (name.equals("from") || name.equals("to") || schema.path("format").asText().equals("date")) {
            // a range: to today or yesterday, from 1 to 29 days before it (hourly stats allow 31 days, also when to
            // is left out and means today)
            return List.of((name.equals("from") ? to.minusDays(1 + r.nextInt(29)) : to).toString()); // stats: from before to
        }
        if (schema.path("type").asText().equals("integer")) {
            long min = schema.path("minimum").asLong(0);
            long max = Math.min(schema.path("maximum").asLong(min + 1000), min + 1000);
            if (name.equals("minPrice")) {
                max = Math.min(max, 10_000);
            } else if (name.equals("maxPrice")) {
                min = Math.max(min, 10_000);
            }
            return List.of(Long.toString(min + (long) (r.nextDouble() * (max - min + 1))));
        }
        if (schema.path("type").asText().equals("boolean")) {
            return List.of(Boolean.toString(r.nextBoolean()));
        }
        if (schema.has("pattern") || !example.isValueNode()) {
            return example.isValueNode() ? List.of(example.asText()) : List.of();
        }
        List<String> words = List.of(example.asText(), "kimchi", "김치", "tofu", "a", "Product Viewed");
        String word = words.get(r.nextInt(words.size()));
        int max = schema.path("maxLength").asInt(100);
        return List.of(word.length() >= schema.path("minLength").asInt(0) && word.length() <= max ? word : example.asText());
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; hops < 5 && current.has("$ref"); hops++) {
            current = doc.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    /**
     * Every operation needing a bearer token (by its description's security), sent as its example would be, with a
     * token whose signature was altered, one with {@code alg: none} and no signature, one with alg HS256 signed with
     * a guessable secret, and garbage: all 401.
     */
    @Example
    void forgedTokensAreRefusedWith401Everywhere() throws Exception {
        String[] parts = alice.split("\\.");
        String payload = parts[1];
        Map<String, String> forged = Map.of(
                "tampered signature", parts[0] + "." + payload + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1),
                "alg none", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".",
                "alg HS256", hs256(b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + payload),
                "tampered claims", parts[0] + "." + b64(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)
                                                               .replace("\"roles\":[", "\"roles\":[\"admin\",")) + "." + parts[2],
                "garbage", "not-a-jwt");
        JsonNode doc = JSON.valueToTree(ApiDescriptions.merged(SERVICES));
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!List.of("get", "post", "put", "patch", "delete").contains(op.getKey()) || !needsBearer(doc, op.getValue())) {
                    continue;
                }
                String target = path.getKey().replaceAll("\\{[^}]+}", "1");
                JsonNode body = op.getValue().path("requestBody").path("content").path("application/json").path("example");
                for (Map.Entry<String, String> token : forged.entrySet()) {
                    checked++;
                    if (path.getKey().endsWith("/ws")) { // a plain GET is told to upgrade, token or not: a real upgrade
                        try (RawWs ws = RawWs.upgrade(plaza.port(), path.getKey(), "Authorization: Bearer " + token.getValue() + "\r\n")) {
                            if (ws.status() != 401) {
                                failures.add("upgrade of " + path.getKey() + " with a " + token.getKey() + " token → " + ws.head());
                            }
                        }
                        continue;
                    }
                    Res r = call(op.getKey().toUpperCase(), target, token.getValue(), body.isMissingNode() ? null : body.toString());
                    if (r.status() != 401) {
                        failures.add(op.getKey().toUpperCase() + " " + path.getKey() + " with a " + token.getKey() + " token → "
                                     + r.status() + " " + r.body());
                    }
                }
            }
        }
        System.out.println("ApiAccessTest: " + checked + " forged-token requests");
        assertThat(checked > 100, is(true));
        assertThat(String.join("\n", failures), failures, empty());
    }

    /** Bearer required: a security requirement naming bearer, and no empty alternative (optional sign-in). */
    private static boolean needsBearer(JsonNode doc, JsonNode op) {
        JsonNode security = op.has("security") ? op.get("security") : doc.path("security");
        boolean bearer = false;
        for (JsonNode requirement : security) {
            if (requirement.isEmpty()) {
                return false;
            }
            bearer |= requirement.has("bearer");
        }
        return bearer;
    }

    /** The first item's id of a list (the demo data's search index fills within a second or so of the start). */
    private static String firstId(String list) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonNode items = call("GET", list, null, null).json().path("items");
            if (!items.isEmpty()) {
                return items.get(0).path("id").asText();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(list + " stayed empty");
            }
            Thread.sleep(200);
        }
    }

    private static String bobId() throws Exception {
        return call("GET", "/users/me", bob, null).json().path("user_id").asText();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String hs256(String signingInput) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
    }

    private static String token(String email, String password) throws Exception {
        call("POST", "/auth/register", null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"A\"}");
        return call("POST", "/auth/login", null, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
                .json().path("access_token").asText();
    }

    private static Res call(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> res = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Res(res.statusCode(), res.body());
    }
}
