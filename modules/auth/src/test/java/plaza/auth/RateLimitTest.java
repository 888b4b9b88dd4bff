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
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.isEmptyString;
import static plaza.auth.AuthFixture.body;
import static plaza.auth.AuthFixture.email;
import static plaza.auth.AuthFixture.post;

/** Per-IP token buckets: login, register, forgot-password and verification mails answer 429 with Retry-After. */
@ServerTest
class RateLimitTest {

    private final Http1Client client;

    RateLimitTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        AuthFixture.setUp(server, AuthFixture.config(Map.of(
                "auth.rate-limit.login.capacity", "3", "auth.rate-limit.login.per-minute", "1",
                "auth.rate-limit.register.capacity", "2", "auth.rate-limit.register.per-minute", "1",
                "auth.rate-limit.forgot-password.capacity", "2", "auth.rate-limit.forgot-password.per-minute", "1",
                "auth.rate-limit.verification.capacity", "1", "auth.rate-limit.verification.per-minute", "1",
                "auth.lockout.enabled", "false")));
    }

    private static void assertLimited(AuthFixture.Reply r) {
        assertThat(r.status(), is(Status.TOO_MANY_REQUESTS_429));
        assertThat(r.headers().first(HeaderNames.RETRY_AFTER).orElse(""), not(isEmptyString()));
        assertThat(Integer.parseInt(r.headers().first(HeaderNames.RETRY_AFTER).get()) > 0, is(true));
        assertThat(r.detail(), containsString("try again in"));
    }

    @Test
    void loginIsLimitedPerAddress() {
        String body = body(Map.of("email", email("rl"), "password", "whatever-it-is"));
        for (int i = 0; i < 3; i++) {
            assertThat(post(client, "/auth/login", body).status(), is(Status.UNAUTHORIZED_401));
        }
        assertLimited(post(client, "/auth/login", body));
    }

    @Test
    void registrationIsLimitedPerAddress() {
        for (int i = 0; i < 2; i++) {
            var r = post(client, "/auth/register", body(Map.of("email", email("rlreg"), "password", AuthFixture.PASSWORD, "name", "R")));
            assertThat(r.status(), is(Status.CREATED_201));
        }
        assertLimited(post(client, "/auth/register", body(Map.of("email", email("rlreg"), "password", AuthFixture.PASSWORD, "name", "R"))));
    }

    @Test
    void forgotPasswordAndVerificationMailsAreLimitedPerAddress() {
        for (int i = 0; i < 2; i++) {
            assertThat(post(client, "/auth/forgot-password", body(Map.of("email", email("rlf")))).status(), is(Status.ACCEPTED_202));
        }
        assertLimited(post(client, "/auth/forgot-password", body(Map.of("email", email("rlf")))));
        assertThat(post(client, "/auth/resend-verification", body(Map.of("email", email("rlv")))).status(), is(Status.ACCEPTED_202));
        assertLimited(post(client, "/auth/resend-verification", body(Map.of("email", email("rlv")))));
    }
}
