package plaza.auth;

import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static plaza.auth.AuthFixture.PASSWORD;
import static plaza.auth.AuthFixture.body;
import static plaza.auth.AuthFixture.email;
import static plaza.auth.AuthFixture.get;
import static plaza.auth.AuthFixture.login;
import static plaza.auth.AuthFixture.post;
import static plaza.auth.AuthFixture.register;

/** Per-account lockout after 3 failures (2 s, doubling), identical for addresses without an account. */
@ServerTest
class LockoutTest {

    private final Http1Client client;

    LockoutTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        AuthFixture.setUp(server, AuthFixture.config(Map.of("auth.lockout.threshold", "3", "auth.lockout.base-delay", "PT2S")));
    }

    private AuthFixture.Reply attempt(String email, String password) {
        return post(client, "/auth/login", body(Map.of("email", email, "password", password)));
    }

    @Test
    void repeatedFailuresLockTheAccountWithRetryAfterThenItUnlocks() throws Exception {
        String email = email("lock");
        register(client, email, PASSWORD);
        for (int i = 0; i < 3; i++) {
            assertThat(attempt(email, "wrong-guess-" + i).status(), is(Status.UNAUTHORIZED_401));
        }
        // Locked: even the right password is refused, with a Retry-After.
        var locked = attempt(email, PASSWORD);
        assertThat(locked.status(), is(Status.TOO_MANY_REQUESTS_429));
        assertThat(locked.headers().first(HeaderNames.RETRY_AFTER).orElse(""), is("2"));
        assertThat(locked.detail(), containsString("failed sign-ins"));
        assertThat(locked.json().path("type").asText(), containsString("rate-limited"));
        Thread.sleep(2_200);
        login(client, email, PASSWORD);
        // Success cleared the count: one more failure is a plain 401 again.
        assertThat(attempt(email, "wrong-again").status(), is(Status.UNAUTHORIZED_401));
        assertThat(attempt(email, PASSWORD).status(), is(Status.OK_200));
        assertThat(get(client, "/observe/metrics", null).body(), containsString("auth_lockouts_total"));
    }

    @Test
    void backoffGrowsWithFurtherFailures() throws Exception {
        String email = email("grow");
        register(client, email, PASSWORD);
        for (int i = 0; i < 3; i++) {
            attempt(email, "wrong-" + i);
        }
        Thread.sleep(2_200);
        assertThat(attempt(email, "wrong-4").status(), is(Status.UNAUTHORIZED_401)); // 4th failure: locked 4 s
        var locked = attempt(email, PASSWORD);
        assertThat(locked.status(), is(Status.TOO_MANY_REQUESTS_429));
        assertThat(Integer.parseInt(locked.headers().first(HeaderNames.RETRY_AFTER).orElse("0")) >= 3, is(true));
    }

    @Test
    void anAddressWithoutAnAccountLocksTheSameWay() {
        String nobody = email("ghost");
        for (int i = 0; i < 3; i++) {
            assertThat(attempt(nobody, "guess-" + i).status(), is(Status.UNAUTHORIZED_401));
        }
        var locked = attempt(nobody, PASSWORD);
        assertThat(locked.status(), is(Status.TOO_MANY_REQUESTS_429));
        assertThat(locked.headers().first(HeaderNames.RETRY_AFTER).orElse(""), is("2"));
    }
}
