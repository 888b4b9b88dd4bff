package plaza.assistant;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.testing.HostileInput;
import plaza.testing.JsonApi;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Assistant's JSON routes and cursors under the platform's input policy, against a real PostgreSQL.
 * Bad inputs tried: {@link HostileInput#WRONG_SHAPES} on every body route; CESU-8 surrogate bytes, an
 * overlong '/' and a truncated sequence in a prompt template and a conversation title (stored as
 * U+D800 or '/' before); NUL in a title, a template, a message and a variable (a 500 from PostgreSQL
 * before); 1e-100000000 in a variable; a token whose sub holds NUL (500 before); cursors decoding to
 * the year +999999999 (a long overflow, 500 before), to invalid UTF-8, or to one part.
 */
@ServerTest
class AssistantInputTest {

    static final TestTokens TOKENS = TestTokens.create();
    static AssistantService service;
    final JsonApi api;
    final String alice = TOKENS.token("alice-input");

    final java.net.URI uri;

    AssistantInputTest(Http1Client http, java.net.URI uri) {
        this.api = new JsonApi(http);
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = ApiClient.config(Map.of());
        service = ApiClient.service(config, TOKENS.verifier());
        PlazaServer.configure(server, config, List.of(service));
    }

    @AfterAll
    static void close() {
        service.close();
    }

    private String conversation() {
        return api.send(Method.POST, "/ai/conversations", alice, "application/json", "{\"title\":\"t\"}").body().path("id").asText();
    }

    private String prompt() {
        return api.send(Method.POST, "/ai/prompts", alice, "application/json", "{\"name\":\"p\",\"template\":\"Hi {{who}}\"}")
                .body().path("id").asText();
    }

    @Test
    void everyBodyRouteRefusesBadShapesCleanly() {
        String c = conversation();
        String p = prompt();
        String admin = TOKENS.token("root", "admin");
        List<String[]> routes = List.of(new String[] {"POST", "/ai/conversations", alice}, new String[] {"PATCH", "/ai/conversations/" + c, alice},
                                        new String[] {"POST", "/ai/conversations/" + c + "/messages", alice},
                                        new String[] {"POST", "/ai/prompts", alice}, new String[] {"PATCH", "/ai/prompts/" + p, alice},
                                        new String[] {"POST", "/ai/prompts/" + p + "/render", alice},
                                        new String[] {"PUT", "/ai/quotas/alice-input", admin});
        for (String[] route : routes) {
            for (String body : HostileInput.WRONG_SHAPES) {
                HostileInput.assertCleanRefusal(route[0] + " " + route[1] + " " + body,
                                                api.send(Method.create(route[0]), route[1], route[2], "application/json", body));
            }
        }
    }

    @Test
    void storedTextMustBeValidUtf8WithoutNul() {
        for (byte[] body : HostileInput.invalidUtf8("{\"name\":\"p\",\"template\":\"Hi", "\"}")) {
            assertThat(HostileInput.assertCleanRefusal("prompt", api.sendBytes(Method.POST, "/ai/prompts", alice, "application/json", body)),
                       containsString("not valid UTF-8"));
        }
        for (byte[] body : HostileInput.invalidUtf8("{\"title\":\"t", "\"}")) {
            assertThat(HostileInput.assertCleanRefusal("conversation", api.sendBytes(Method.POST, "/ai/conversations", alice, "application/json", body)),
                       containsString("not valid UTF-8"));
        }
        String c = conversation();
        String p = prompt();
        assertThat(HostileInput.assertCleanRefusal("title", api.send(Method.POST, "/ai/conversations", alice, "application/json", "{\"title\":\"a\\u0000\"}")),
                   is("title: must not contain NUL (U+0000)"));
        assertThat(HostileInput.assertCleanRefusal("rename", api.send(Method.PATCH, "/ai/conversations/" + c, alice, "application/json", "{\"title\":\"\\u0000\"}")),
                   is("title: must not contain NUL (U+0000)"));
        assertThat(HostileInput.assertCleanRefusal("template", api.send(Method.POST, "/ai/prompts", alice, "application/json",
                                                                        "{\"name\":\"p\",\"template\":\"Hi \\u0000\"}")),
                   is("template: must not contain NUL (U+0000)"));
        assertThat(HostileInput.assertCleanRefusal("message", api.send(Method.POST, "/ai/conversations/" + c + "/messages", alice, "application/json",
                                                                       "{\"content\":\"hello\\u0000\"}")),
                   is("content: must not contain NUL (U+0000)"));
        assertThat(HostileInput.assertCleanRefusal("variable", api.send(Method.POST, "/ai/conversations", alice, "application/json",
                                                                        "{\"promptId\":\"" + p + "\",\"variables\":{\"who\":\"\\u0000\"}}")),
                   is("variables.who: must not contain NUL (U+0000)"));
        assertThat(HostileInput.assertCleanRefusal("number", api.send(Method.POST, "/ai/conversations", alice, "application/json",
                                                                      "{\"promptId\":\"" + p + "\",\"variables\":{\"who\":1e-100000000}}")),
                   containsString("variables.who: is out of range"));
        assertThat(api.send(Method.POST, "/ai/conversations/" + c + "/messages", alice, "application/json", "{\"content\":\"tab\\tand\\nlines\"}").status(),
                   is(201));
    }

    @Test
    void aUserIdInThePathWithNulIs400() throws Exception {
        // Before: the NUL reached PostgreSQL as a user id (500). Sent raw: the Helidon client would encode the '%'.
        String admin = TOKENS.token("root", "admin");
        for (String method : List.of("PUT", "DELETE")) {
            var request = java.net.http.HttpRequest.newBuilder(uri.resolve("/ai/quotas/a%00b"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .method(method, java.net.http.HttpRequest.BodyPublishers.ofString("{\"dailyTokens\":10}")).build();
            var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.body(), response.statusCode(), is(400));
            assertThat(response.body(), containsString("userId: must not contain NUL (U+0000)"));
        }
    }

    @Test
    void queryTextWithNulIs400() {
        // Before: ?userId=a%00b reached PostgreSQL (500); ?from=+999999999-01-01 parsed as a date no database stores.
        String admin = TOKENS.token("root", "admin");
        assertThat(HostileInput.assertCleanRefusal("userId", api.getAs(admin, "/ai/usage", "userId", "a\u0000b")),
                   is("userId: must not contain NUL (U+0000)"));
        assertThat(HostileInput.assertCleanRefusal("quota", api.getAs(admin, "/ai/usage/quota", "userId", "a\u0000b")),
                   is("userId: must not contain NUL (U+0000)"));
        assertThat(api.getAs(alice, "/ai/usage", "from", "+999999999-01-01", "to", "+999999999-01-02").status(), is(400));
        assertThat(api.getAs(admin, "/ai/usage", "userId", "alice-input").status(), is(200));
    }

    @Test
    void aTokenWhoseSubHoldsNulIs401() {
        String nul = TOKENS.sign(TOKENS.claims("alice\u0000", "user").build());
        assertThat(api.getAs(nul, "/ai/conversations").status(), is(401));
        assertThat(api.send(Method.POST, "/ai/conversations", nul, "application/json", "{\"title\":\"t\"}").status(), is(401));
    }

    @Test
    void cursorsAreValidated() {
        for (String text : List.of("+999999999-12-31T23:59:59Z/00000000-0000-0000-0000-000000000000",
                                   "-999999999-01-01T00:00:00Z/00000000-0000-0000-0000-000000000000",
                                   "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z/not-a-uuid", "2026-01-01T00:00:00Z/a/b")) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
            JsonApi.Response r = api.getAs(alice, "/ai/conversations", "cursor", cursor);
            assertThat(text + " -> " + r.text(), r.status(), is(400));
            assertThat(r.text(), containsString("\"field\":\"cursor\""));
        }
        String cesu = Base64.getUrlEncoder().encodeToString(HostileInput.bytes("2026-01-01T00:00:00Z/", 0xED, 0xA0, 0x80));
        assertThat(api.getAs(alice, "/ai/conversations", "cursor", cesu).status(), is(400));
        for (String limit : List.of("２", "1e3", "+5")) {
            assertThat(api.getAs(alice, "/ai/conversations", "limit", limit).status(), is(400));
        }
    }
}
