package plaza.auth;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.platform.observe.LogLines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static plaza.auth.AuthFixture.PASSWORD;
import static plaza.auth.AuthFixture.body;
import static plaza.auth.AuthFixture.post;

/** Every log line written while accounts are used, access log included, is free of emails, passwords and tokens. */
@ServerTest
class LogHygieneTest {

    private static LogLines LINES;
    private final Http1Client client;

    LogHygieneTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        LINES = LogLines.capture();
        AuthFixture.setUp(server, AuthFixture.config(Map.of("plaza.access-log.enabled", "true", "auth.lockout.threshold", "2")));
    }

    @Test
    void noSecretsInLogs() {
        String email = AuthFixture.email("secret");
        AuthFixture.register(client, email, PASSWORD);
        JsonNode session = AuthFixture.login(client, email, PASSWORD);
        post(client, "/auth/refresh", body(Map.of("refresh_token", session.path("refresh_token").asText())));
        post(client, "/auth/login", body(Map.of("email", email, "password", "wrong-1-" + PASSWORD)));
        post(client, "/auth/login", body(Map.of("email", email, "password", "wrong-2-" + PASSWORD))); // locks: logged
        post(client, "/auth/forgot-password", body(Map.of("email", email)));
        String mail = AuthFixture.awaitMail(email, "Reset");
        String token = AuthFixture.tokenIn(mail);
        URI link = URI.create(AuthFixture.linkIn(mail));
        AuthFixture.get(client, link.getRawPath() + "?" + link.getRawQuery(), null);
        post(client, "/auth/reset-password", body(Map.of("token", token, "new_password", "brand-New-Password-8")));

        // Lines are written by the logging thread, the access log's after the response: wait for the last ones.
        await(l -> l.contains("/reset-password "));
        await(l -> l.contains("/login 401"));
        await(l -> l.contains("locked"));
        // GreenMail here stands in for the external mail server; its own logs are not Plaza's.
        List<String> lines = LINES.unredacted().stream().filter(l -> !l.startsWith("com.icegreen")).toList();
        String local = email.substring(0, email.indexOf('@'));
        for (String line : lines) {
            for (String secret : List.of(local, PASSWORD, token, session.path("refresh_token").asText(),
                                         session.path("access_token").asText().substring(0, 40))) {
                assertThat("a log line holds a secret: " + line, line.contains(secret), is(false));
            }
        }
        assertThat(lines.isEmpty(), is(false));
    }

    private static void await(Predicate<String> test) {
        for (int i = 0; i < 500; i++) {
            if (LINES.unredacted().stream().anyMatch(test)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no such log line within 10 s: " + LINES.unredacted());
    }
}
