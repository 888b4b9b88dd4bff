package plaza.auth;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static plaza.auth.AuthFixture.PASSWORD;
import static plaza.auth.AuthFixture.body;
import static plaza.auth.AuthFixture.post;

/** Every log line written while accounts are used, access log included, is free of emails, passwords and tokens. */
@ServerTest
class LogHygieneTest {

    private static final List<String> LINES = new CopyOnWriteArrayList<>();
    private final Http1Client client;

    LogHygieneTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Logger.getLogger("").addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                // GreenMail here stands in for the external mail server; its own logs are not Plaza's.
                if (record.getLoggerName() != null && record.getLoggerName().startsWith("com.icegreen")) {
                    return;
                }
                LINES.add(record.getLoggerName() + " " + new java.util.logging.SimpleFormatter().formatMessage(record)
                          + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
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

        assertThat(LINES.stream().anyMatch(l -> l.contains("/login 401")), is(true));
        assertThat(LINES.stream().anyMatch(l -> l.contains("locked")), is(true));
        String local = email.substring(0, email.indexOf('@'));
        for (String line : LINES) {
            for (String secret : List.of(local, PASSWORD, token, session.path("refresh_token").asText(),
                                         session.path("access_token").asText().substring(0, 40))) {
                assertThat("a log line holds a secret: " + line, line.contains(secret), is(false));
            }
        }
        assertThat(LINES.isEmpty(), is(false));
    }
}
