package plaza.standalone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;
import plaza.platform.http.Json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Standalone with auth mounted: a signing key generated into the data directory, tokens verified in-process,
 * and forgot-password completed end to end through the dev mailbox ({@code GET /auth/dev/outbox}).
 */
class StandaloneAuthTest {

    @Test
    void forgotPasswordWorksEndToEndWithTheDevMailbox() throws Exception {
        Path data = Files.createTempDirectory("plaza-standalone-test");
        Config config = PlazaConfig.override(Config.empty(), Map.of(
                "server.port", "0", "server.host", "127.0.0.1",
                "standalone.data-dir", data.toString(),
                "plaza.access-log.enabled", "false"));
        try (Standalone plaza = Standalone.start(config)) {
            Http1Client client = Http1Client.builder().baseUri("http://127.0.0.1:" + plaza.port()).build();
            String email = "standalone-" + System.nanoTime() + "@example.com";
            assertThat(post(client, "/auth/register", Map.of("email", email, "password", "orange-Kettle-Sky-4", "name", "S")).status(),
                       is(Status.CREATED_201));
            assertThat(post(client, "/auth/forgot-password", Map.of("email", email)).status(), is(Status.ACCEPTED_202));

            String token = null;
            for (int i = 0; i < 100 && token == null; i++) {
                JsonNode mails = Json.parse(get(client, "/auth/dev/outbox?to=" + email, null));
                for (JsonNode mail : mails.path("mails")) {
                    if (mail.path("subject").asText().contains("Reset")) {
                        token = mail.path("tokens").get(0).asText();
                        assertThat(mail.path("links").get(0).asText(), containsString("/#/reset-password?token="));
                    }
                }
                if (token == null) {
                    Thread.sleep(100);
                }
            }
            assertThat("a reset mail in the dev outbox", token != null, is(true));
            assertThat(post(client, "/auth/reset-password", Map.of("token", token, "new_password", "purple-Window-Lake-6")).status(),
                       is(Status.NO_CONTENT_204));
            Reply login = post(client, "/auth/login", Map.of("email", email, "password", "purple-Window-Lake-6"));
            assertThat(login.status(), is(Status.OK_200));
            String access = Json.parse(login.body()).path("access_token").asText();
            assertThat(get(client, "/users/me", access), containsString(email));
            assertThat(Files.list(data.resolve("auth-keys")).anyMatch(p -> p.toString().endsWith(".pem")), is(true));
            assertThat(Main.banner(1.0, "http://localhost:" + plaza.port(), plaza.devOutbox(), java.util.List.of("auth"), data.toString()),
                       containsString("/auth/dev/outbox"));
        }
    }

    /**
     * With an SMTP host configured auth sends there and mounts no dev outbox (404): the startup banner must not
     * advertise it (it used to, always).
     */
    @Test
    void withSmtpConfiguredTheBannerDoesNotAdvertiseTheDevOutbox() throws Exception {
        Path data = Files.createTempDirectory("plaza-standalone-smtp-test");
        Config config = PlazaConfig.override(Config.empty(), Map.of(
                "server.port", "0", "server.host", "127.0.0.1",
                "standalone.data-dir", data.toString(),
                "plaza.access-log.enabled", "false",
                "auth.smtp.host", "127.0.0.1", "auth.smtp.port", "1"));
        try (Standalone plaza = Standalone.start(config)) {
            assertThat(plaza.devOutbox(), is(false));
            String banner = Main.banner(1.0, "http://localhost:" + plaza.port(), plaza.devOutbox(), java.util.List.of("auth"), data.toString());
            assertThat(banner, containsString("/observe/metrics"));
            assertThat(banner, not(containsString("/auth/dev/outbox")));
            Http1Client client = Http1Client.builder().baseUri("http://127.0.0.1:" + plaza.port()).build();
            try (Http1ClientResponse res = client.get("/auth/dev/outbox").request()) {
                assertThat(res.status(), is(Status.NOT_FOUND_404));
            }
        }
    }

    private record Reply(Status status, String body) {
    }

    private static Reply post(Http1Client client, String path, Map<String, String> body) {
        try (Http1ClientResponse res = client.post(path).header(HeaderNames.CONTENT_TYPE, "application/json").submit(Json.write(body))) {
            return new Reply(res.status(), res.entity().hasEntity() ? res.as(String.class) : "");
        }
    }

    private static String get(Http1Client client, String path, String bearer) {
        int q = path.indexOf('?');
        var request = client.get(q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            String[] kv = path.substring(q + 1).split("=", 2);
            request.queryParam(kv[0], kv[1]);
        }
        if (bearer != null) {
            request.header(HeaderNames.AUTHORIZATION, "Bearer " + bearer);
        }
        try (Http1ClientResponse res = request.request()) {
            assertThat(res.status(), is(Status.OK_200));
            return res.as(String.class);
        }
    }
}
