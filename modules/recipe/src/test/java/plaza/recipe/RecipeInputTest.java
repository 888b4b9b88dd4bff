package plaza.recipe;

import java.util.List;
import java.util.Map;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.testing.HostileInput;
import plaza.testing.JsonApi;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Recipe's admin bodies and query parameters under the platform's input policy, against a real
 * MariaDB. Bad inputs tried: {@link HostileInput#WRONG_SHAPES} on create and update; invalid UTF-8, NUL
 * and a lone surrogate in an ingredient name; 1e309 and 2^63 in {@code minutes}; duplicate keys;
 * imported ids 2^63-1 and 2^62 (which left the next server-assigned id out of range: every later
 * create a 500); {@code ?page=２}, {@code ?maxMinutes=٣٠}; a body with every optional field left out.
 */
@ServerTest
class RecipeInputTest {

    private static final TestTokens TOKENS = TestTokens.create();
    private static final String ADMIN = TOKENS.token("admin-1", "admin");
    private static final String RECIPE = "{\"title\":\"감자볶음\",\"minutes\":15,\"ingredients\":[{\"name\":\"감자\"}],\"steps\":[\"볶는다.\"]}";
    private static WebServer catalog;
    private final JsonApi api;

    RecipeInputTest(Http1Client client) {
        this.api = new JsonApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        catalog = Fixtures.startCatalog(TOKENS);
        Fixtures.configureRecipe(server, TOKENS, "http://127.0.0.1:" + catalog.port(), Map.of());
    }

    @AfterAll
    static void stopCatalog() {
        catalog.stop();
    }

    @Test
    void everyBadShapeIsACleanRefusal() {
        for (Method method : List.of(Method.POST, Method.PUT)) {
            String path = method == Method.POST ? "/recipes" : "/recipes/1";
            for (String body : HostileInput.WRONG_SHAPES) {
                HostileInput.assertCleanRefusal(method + " " + body, api.send(method, path, ADMIN, "application/json", body));
            }
            assertThat(HostileInput.assertCleanRefusal("wrong type", api.send(method, path, ADMIN, "application/json",
                                                                              RECIPE.replace("[{\"name\":\"감자\"}]", "[[\"감자\"]]"))),
                       containsString("ingredients[0]: cannot be an array (expected an object)"));
        }
    }

    @Test
    void ingredientTextMustBeValidUtf8WithoutNul() {
        for (byte[] body : HostileInput.invalidUtf8("{\"title\":\"감자볶음\",\"minutes\":15,\"ingredients\":[{\"name\":\"감", "\"}],\"steps\":[\"볶는다.\"]}")) {
            assertThat(HostileInput.assertCleanRefusal("utf-8", api.sendBytes(Method.POST, "/recipes", ADMIN, "application/json", body)),
                       containsString("not valid UTF-8"));
        }
        assertThat(HostileInput.assertCleanRefusal("nul", api.send(Method.POST, "/recipes", ADMIN, "application/json",
                                                                   RECIPE.replace("\"감자\"", "\"감\\u0000자\""))),
                   is("ingredients[0].name: must not contain NUL (U+0000)"));
        assertThat(HostileInput.assertCleanRefusal("surrogate", api.send(Method.POST, "/recipes", ADMIN, "application/json",
                                                                         RECIPE.replace("볶는다.", "\\udfff"))),
                   containsString("steps[0]: must not contain an unpaired surrogate"));
        // The import reads lines with the same rules.
        JsonApi.Response imported = api.send(Method.POST, "/recipes/import", ADMIN, "application/x-ndjson", RECIPE.replace("\"감자\"", "\"\\u0000\""));
        assertThat(imported.text(), imported.body().get("failed").asInt(), is(1));
    }

    @Test
    void numbersDuplicatesAndOptionalFields() {
        for (String minutes : List.of("1e309", "9223372036854775808", "1e-100000", "4294967296")) {
            assertThat(HostileInput.assertCleanRefusal(minutes, api.send(Method.POST, "/recipes", ADMIN, "application/json",
                                                                         RECIPE.replace("15", minutes))),
                       containsString("minutes: is out of range"));
        }
        assertThat(HostileInput.assertCleanRefusal("dup", api.send(Method.POST, "/recipes", ADMIN, "application/json",
                                                                   RECIPE.replace("{\"title\"", "{\"minutes\":3,\"title\""))),
                   containsString("a key appears twice"));
        assertThat(api.send(Method.POST, "/recipes", ADMIN, "application/json", RECIPE).status(), is(201));
        assertThat(api.send(Method.POST, "/recipes", ADMIN, "application/json",
                            RECIPE.replace("{\"name\":\"감자\"}", "{\"name\":\"감자\",\"quantity\":null,\"optional\":null}")
                                    .replace("}", ",\"summary\":null,\"servings\":null,\"difficulty\":null,\"imageUrl\":null,\"tags\":null}")).status(),
                   is(201));
    }

    @Test
    void importedIdsCannotExhaustTheAutoIncrement() {
        for (String id : List.of(String.valueOf(Long.MAX_VALUE), String.valueOf(1L << 62))) {
            JsonApi.Response r = api.send(Method.POST, "/recipes/import", ADMIN, "application/x-ndjson", RECIPE.replace("{\"title\"", "{\"id\":" + id + ",\"title\""));
            assertThat(r.text(), r.body().get("failed").asInt(), is(1));
            assertThat(r.text(), containsString("\"field\":\"id\""));
        }
        assertThat(api.send(Method.POST, "/recipes", ADMIN, "application/json", RECIPE).status(), is(201));
    }

    @Test
    void queryNumbersAreAsciiDigits() {
        for (String[] q : new String[][] {{"page", "２"}, {"size", "１０"}, {"maxMinutes", "٣٠"}, {"page", "+1"}}) {
            JsonApi.Response r = api.get("/recipes", q[0], q[1]);
            assertThat(q[0] + "=" + q[1], r.status(), is(400));
            assertThat(r.text(), containsString("\"field\":\"" + q[0] + "\""));
        }
    }
}
