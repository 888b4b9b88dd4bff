package plaza.platform;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.platform.db.Database;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;
import plaza.platform.http.QueryParams;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The platform's one policy for what a client's JSON and query text may hold, over a real socket into
 * a real PostgreSQL (the probe service stores items there). Bad inputs tried: bodies of the wrong
 * shape and type at every depth, syntax errors, trailing data, NaN, duplicate keys; invalid UTF-8
 * (CESU-8 surrogate bytes, overlong '/', truncated and stray continuation bytes, 5-byte forms); lone
 * surrogate escapes; NUL and C0 controls in values, nested values and keys; numbers 2^63, 1e309,
 * -1e309, 1e-100000000, 101 digits; ints beyond 32 bits; {@code ?page=２}, {@code +1}, 20 digits;
 * cursors that are not base64, not UTF-8, with the wrong parts, or with the year +999999999.
 */
@ServerTest
class ClientInputTest {

    /** What a 400 must never show: Java packages and classes, Jackson tokens and features, input copies. */
    static final Pattern LEAK = Pattern.compile(
            "[a-z]+\\.[a-z]+\\.[A-Za-z]|\\$[A-Z]|JsonToken|START_(ARRAY|OBJECT)|END_(ARRAY|OBJECT)|VALUE_[A-Z]|FIELD_NAME"
            + "|Exception|Source:|`|\\(was ");

    private final Http1Client client;

    ClientInputTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = TestPostgres.config(Map.of("plaza.access-log.enabled", "false"));
        PlazaServer.configure(server, config, List.of(new ProbeService(Database.open(config.get("db"), "probe"))));
    }

    @Test
    void refusalsSayWhatWasWrongInTheClientsTerms() {
        Map<String, String> detailFor = new java.util.LinkedHashMap<>();
        detailFor.put("[1,2]", "must be a JSON object, not an array");
        detailFor.put("\"text\"", "must be a JSON object, not a string");
        detailFor.put("null", "must be a JSON object, not null");
        detailFor.put("{\"text\":[\"x\"]}", "text: cannot be an array (expected a string)");
        detailFor.put("{\"text\":{}}", "text: cannot be an object (expected a string)");
        detailFor.put("{\"count\":\"three\"}", "count: cannot be a string (expected a whole number");
        detailFor.put("{\"count\":[1]}", "count: cannot be an array");
        detailFor.put("{\"count\":1099511627776}", "count: is out of range (expected a whole number between");
        detailFor.put("{\"flag\":\"yes\"}", "flag:");
        detailFor.put("{\"items\":[{\"qty\":\"a\"}]}", "items[0].qty: cannot be a string");
        detailFor.put("{\"item\":[]}", "item: cannot be an array (expected an object)");
        detailFor.put("{\"tags\":\"x\"}", "tags:");
        detailFor.put("{\"uuid\":\"nope\"}", "uuid:");
        detailFor.put("{\"at\":\"yesterday\"}", "at:");
        detailFor.put("{\"text\": \"x\", ", "Malformed JSON at line 1, column");
        detailFor.put("{\"text\": \"x\"}}", "Unexpected close marker '}' after the end of the JSON value");
        detailFor.put("{\"text\": \"x\"} {\"a\":1}", "more data after the JSON value");
        detailFor.put("{\"text\": tru}", "Malformed JSON at line 1, column");
        detailFor.put("{\"ratio\": NaN}", "Malformed JSON at line 1, column");
        detailFor.put("{'text': 1}", "Malformed JSON at line 1, column 2");
        detailFor.put("{\n\"text\": \"a\",\n\"text\": \"b\"}", "Malformed JSON at line 3, column");
        detailFor.put("[".repeat(100) + "]".repeat(100), "nested deeper than 64 levels");
        for (var e : detailFor.entrySet()) {
            String detail = refusedOn("/probe/shapes", e.getKey());
            assertThat(e.getKey(), detail, containsString(e.getValue()));
        }
        // Duplicate keys name the key; the probe's stored items get the same treatment.
        assertThat(refusedOn("/probe/items", "{\"name\":\"a\",\"name\":\"b\",\"qty\":1}"), containsString("appears twice"));
        assertThat(refusedOn("/probe/items", "{\"name\":\"a\",\"qty\":1.5e400}"), containsString("qty"));
    }

    @Test
    void invalidUtf8IsRefusedNotStoredAsSomethingElse() {
        byte[][] bodies = {
                bytes("{\"name\":\"a", 0xED, 0xA0, 0x80, "b\",\"qty\":1}"),          // CESU-8 of U+D800
                bytes("{\"name\":\"a", 0xED, 0xB0, 0x80, "b\",\"qty\":1}"),          // CESU-8 of U+DC00
                bytes("{\"name\":\"a", 0xC0, 0xAF, "b\",\"qty\":1}"),                // overlong '/'
                bytes("{\"name\":\"a", 0xE0, 0x80, 0xAF, "b\",\"qty\":1}"),          // 3-byte overlong '/'
                bytes("{\"name\":\"a", 0xE2, 0x82, "\",\"qty\":1}"),                 // truncated €
                bytes("{\"name\":\"a", 0x80, "\",\"qty\":1}"),                       // stray continuation byte
                bytes("{\"name\":\"a", 0xF8, 0x88, 0x80, 0x80, 0x80, "\",\"qty\":1}"), // 5-byte form
                bytes("{\"name\":\"a\",\"qty\":1}", 0xF0, 0x9F),                     // truncated at the end
        };
        for (byte[] body : bodies) {
            String detail = refusedOn("/probe/items", body);
            assertThat(detail, containsString("not valid UTF-8"));
        }
        // A byte order mark and a real 4-byte character are fine.
        try (var res = post("/probe/items", bytes("", 0xEF, 0xBB, 0xBF, "{\"name\":\"😀 김치\",\"qty\":1}"))) {
            assertThat(res.status().code(), is(201));
        }
    }

    @Test
    void nulControlsAndLoneSurrogatesAreRefusedNamingTheField() {
        // Before: NUL reached PostgreSQL (500), a lone surrogate was stored as U+D800.
        assertThat(refusedOn("/probe/items", "{\"name\":\"a\\u0000b\",\"qty\":1}"), is("name: must not contain NUL (U+0000)"));
        assertThat(refusedOn("/probe/items", "{\"name\":\"a\\u0007b\",\"qty\":1}"), containsString("name: must not contain the control character U+0007"));
        assertThat(refusedOn("/probe/items", "{\"name\":\"a\\u001fb\",\"qty\":1}"), containsString("U+001F"));
        assertThat(refusedOn("/probe/items", "{\"name\":\"a\\ud800b\",\"qty\":1}"), containsString("name: must not contain an unpaired surrogate"));
        assertThat(refusedOn("/probe/items", "{\"name\":\"\\udc00\",\"qty\":1}"), containsString("unpaired surrogate"));
        assertThat(refusedOn("/probe/items", "{\"name\":\"x\\ud83d\",\"qty\":1}"), containsString("unpaired surrogate"));
        assertThat(refusedOn("/probe/shapes", "{\"items\":[{\"name\":\"ok\"},{\"name\":\"\\u0000\"}]}"), containsString("items[1].name"));
        assertThat(refusedOn("/probe/shapes", "{\"tags\":[\"a\",\"\\u0000\"]}"), containsString("tags[1]"));
        assertThat(refusedOn("/probe/shapes", "{\"item\":{\"na\\u0000me\":\"x\"}}"), containsString("item: has a key that must not contain NUL"));
        assertThat(refusedOn("/probe/shapes", "{\"\\ud800\":1}"), containsString("body: has a key that"));
        // Raw (unescaped) control characters were already a syntax error; still a 400 without leaks.
        refusedOn("/probe/items", "{\"name\":\"a\u0001b\",\"qty\":1}");
        // Tab, line feed, carriage return and paired surrogates are text.
        try (var res = post("/probe/items", "{\"name\":\"a\\tb\\nc\\rd \\ud83d\\ude00\",\"qty\":1}".getBytes(StandardCharsets.UTF_8))) {
            assertThat(res.status().code(), is(201));
        }
    }

    @Test
    void numbersAreBoundedBeforeAnythingComputesWithThem() {
        String[][] cases = {
                {"{\"big\":9223372036854775808}", "big: is out of range"},
                {"{\"big\":-9223372036854775809}", "big: is out of range"},
                {"{\"count\":9223372036854775808}", "count: is out of range"},
                {"{\"ratio\":1e309}", "ratio: is out of range"},
                {"{\"ratio\":-1e309}", "ratio: is out of range"},
                {"{\"ratio\":1e-100000000}", "ratio: is out of range"},
                {"{\"rating\":1e-100000000}", "rating: is out of range"},
                {"{\"rating\":1e-100000}", "rating: is out of range"},
                {"{\"rating\":1e100000000}", "rating: is out of range"},
                {"{\"items\":[{\"qty\":1e309}]}", "items[0].qty: is out of range"},
                {"{\"unread\":1e309}", "unread: is out of range"},
                {"{\"rating\":1" + "0".repeat(100) + "}", "longer than 100 characters"},
                {"{\"rating\":0." + "0".repeat(100) + "1}", "longer than 100 characters"},
        };
        for (String[] c : cases) {
            long start = System.nanoTime();
            assertThat(c[0], refusedOn("/probe/shapes", c[0]), containsString(c[1]));
            assertThat(c[0], (System.nanoTime() - start) / 1_000_000, lessThan(2_000L));
        }
        // The edges that fit are read as sent; fields left out are null, never a 500.
        try (var res = post("/probe/shapes", "{\"big\":9223372036854775807,\"ratio\":1e-300,\"rating\":4.5,\"count\":-2147483648,\"text\":\"\"}"
                .getBytes(StandardCharsets.UTF_8))) {
            assertThat(res.status().code(), is(200));
            JsonNode echoed = Json.parse(res.as(String.class));
            assertThat(echoed.get("big").asLong(), is(Long.MAX_VALUE));
            assertThat(echoed.get("ratio").asDouble(), is(1e-300));
            assertThat(echoed.get("rating").asText(), is("4.5"));
        }
        try (var res = post("/probe/shapes", "{}".getBytes(StandardCharsets.UTF_8))) {
            assertThat(res.status().code(), is(200));
        }
    }

    @Test
    void websocketFramesAndImportLinesGetTheSameRules() {
        // Json.parse is what chat, assistant and the imports call on a frame or a line.
        ProblemException nul = assertThrows(ProblemException.class, () -> Json.parse("{\"action\":\"sendMessage\",\"content\":\"a\\u0000\"}"));
        assertThat(nul.getMessage(), is("content: must not contain NUL (U+0000)"));
        assertThrows(ProblemException.class, () -> Json.parse("{\"requestId\":\"\\ud800\"}"));
        assertThrows(ProblemException.class, () -> Json.parse("{\"requestId\":1e309}"));
        assertThrows(ProblemException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThat(Json.parse("{\"requestId\":\"r1\",\"n\":3}").get("n").asInt(), is(3));
    }

    @Test
    void queryIntegersAreAsciiDigitsOnly() {
        for (String page : List.of("２", "٣", "३", "+1", "1.0", "99999999999999999999", "0x1")) {
            try (var res = client.get("/probe/page").queryParam("page", page).request()) {
                assertThat(page, res.status().code(), is(400));
                assertThat(res.as(String.class), containsString("\"field\":\"page\""));
            }
        }
        try (var res = client.get("/probe/page").queryParam("page", "7").request()) {
            assertThat(res.as(String.class), is("{\"page\":7}"));
        }
    }

    @Test
    void cursorsAreValidatedAndABadOneIsA400() {
        List<String> bad = List.of(
                "!!!", "a", QueryParams.encodeCursor("+999999999-12-31T23:59:59Z", "x"),
                QueryParams.encodeCursor("-999999999-01-01T00:00:00Z", "x"),
                QueryParams.encodeCursor("2026-01-01T00:00:00Z"), QueryParams.encodeCursor("2026-01-01T00:00:00Z", "x", "y"),
                QueryParams.encodeCursor("yesterday", "x"), QueryParams.encodeCursor("2026-01-01T00:00:00Z", "a\u0000"),
                java.util.Base64.getUrlEncoder().encodeToString(bytes("2026-01-01T00:00:00Z/", 0xC0, 0xAF)));
        for (String cursor : bad) {
            try (var res = client.get("/probe/cursor").queryParam("cursor", cursor).request()) {
                assertThat(cursor, res.status().code(), is(400));
                assertThat(res.as(String.class), containsString("cursor: is not a cursor this API returned"));
            }
        }
        Instant now = Instant.parse("2026-12-04T10:00:00.123456Z");
        try (var res = client.get("/probe/cursor").queryParam("cursor", QueryParams.encodeCursor(now, "x")).request()) {
            assertThat(res.status().code(), is(200));
            assertThat(res.as(String.class), containsString(now.toString()));
        }
    }

    /** Posts {@code body} as JSON, asserts a 400 problem whose body leaks nothing, and returns its detail. */
    private String refusedOn(String path, String body) {
        return refusedOn(path, body.getBytes(StandardCharsets.UTF_8));
    }

    private String refusedOn(String path, byte[] body) {
        try (var res = post(path, body)) {
            String text = res.as(String.class);
            assertThat(new String(body, StandardCharsets.UTF_8) + " -> " + text, res.status().code(), is(400));
            assertThat(text, LEAK.matcher(text).find(), is(false));
            return Json.parse(text).get("detail").asText();
        }
    }

    private Http1ClientResponse post(String path, byte[] body) {
        return client.post(path).header(HeaderNames.CONTENT_TYPE, "application/json").submit(body);
    }

    /** Text and raw bytes, in order. */
    static byte[] bytes(Object... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }
}
