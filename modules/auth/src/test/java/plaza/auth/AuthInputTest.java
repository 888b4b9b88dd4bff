package plaza.auth;

import java.util.List;
import java.util.Map;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.testing.HostileInput;
import plaza.testing.JsonApi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Auth's JSON routes under the platform's input policy, against a real MariaDB. Bad inputs tried:
 * {@link HostileInput#WRONG_SHAPES} on every body route (an array on /auth/verify-email answered with
 * "plaza.auth.api.Requests$Token" and "JsonToken.START_ARRAY"); a name with CESU-8 surrogate bytes,
 * an overlong '/' or a truncated sequence on register and on the profile (stored as U+D800 or '/'
 * before); NUL and a lone surrogate escape in a name; a number where the e-mail goes.
 */
@ServerTest
class AuthInputTest {

    private static final List<String> BODY_ROUTES = List.of("/auth/register", "/auth/login", "/auth/refresh", "/auth/logout",
            "/auth/forgot-password", "/auth/reset-password", "/auth/verify-email", "/auth/resend-verification");
    private final Http1Client client;
    private final JsonApi api;

    AuthInputTest(Http1Client client) {
        this.client = client;
        this.api = new JsonApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        AuthFixture.setUp(server, AuthFixture.config(Map.of()));
    }

    @Test
    void everyBodyRouteRefusesBadShapesCleanly() {
        String token = AuthFixture.newSession(client, "shapes").path("access_token").asText();
        for (String path : BODY_ROUTES) {
            for (String body : HostileInput.WRONG_SHAPES) {
                HostileInput.assertCleanRefusal(path + " " + body, api.send(Method.POST, path, null, "application/json", body));
            }
        }
        for (String body : HostileInput.WRONG_SHAPES) {
            HostileInput.assertCleanRefusal("PATCH /users/me " + body, api.send(Method.PATCH, "/users/me", token, "application/json", body));
            HostileInput.assertCleanRefusal("/users/me/password " + body, api.send(Method.POST, "/users/me/password", token, "application/json", body));
        }
        assertThat(HostileInput.assertCleanRefusal("array", api.send(Method.POST, "/auth/verify-email", null, "application/json", "[\"t\"]")),
                   is("The request body must be a JSON object, not an array."));
        assertThat(HostileInput.assertCleanRefusal("number", api.send(Method.POST, "/auth/login", null, "application/json",
                                                                      "{\"email\":42,\"password\":\"x\"}")),
                   is("email: cannot be a number (expected a string)"));
    }

    @Test
    void namesMustBeValidUtf8WithoutNul() {
        String token = AuthFixture.newSession(client, "utf8").path("access_token").asText();
        String email = AuthFixture.email("utf8-register");
        for (byte[] body : HostileInput.invalidUtf8("{\"email\":\"" + email + "\",\"password\":\"" + AuthFixture.PASSWORD + "\",\"name\":\"Ann",
                                                    "\"}")) {
            assertThat(HostileInput.assertCleanRefusal("register", api.sendBytes(Method.POST, "/auth/register", null, "application/json", body)),
                       containsString("not valid UTF-8"));
        }
        for (byte[] body : HostileInput.invalidUtf8("{\"name\":\"Ann", "\"}")) {
            assertThat(HostileInput.assertCleanRefusal("profile", api.sendBytes(Method.PATCH, "/users/me", token, "application/json", body)),
                       containsString("not valid UTF-8"));
        }
        assertThat(HostileInput.assertCleanRefusal("nul", api.send(Method.PATCH, "/users/me", token, "application/json", "{\"name\":\"A\\u0000nn\"}")),
                   is("name: must not contain NUL (U+0000)"));
        assertThat(HostileInput.assertCleanRefusal("surrogate", api.send(Method.PATCH, "/users/me", token, "application/json", "{\"name\":\"\\ud800\"}")),
                   containsString("name: must not contain an unpaired surrogate"));
        assertThat(api.getAs(token, "/users/me").body().path("name").asText(), is("Test User")); // nothing of it stored
    }
}
