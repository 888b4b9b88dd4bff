package plaza.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
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
import static plaza.auth.AuthFixture.PASSWORD;
import static plaza.auth.AuthFixture.body;
import static plaza.auth.AuthFixture.email;
import static plaza.auth.AuthFixture.get;
import static plaza.auth.AuthFixture.login;
import static plaza.auth.AuthFixture.post;
import static plaza.auth.AuthFixture.register;

/** Refresh-token rotation, reuse detection with its grace window (1 s here), logout and logout-all. */
@ServerTest
class RefreshTest {

    private static final long GRACE_MILLIS = 1000;
    private final Http1Client client;

    RefreshTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        AuthFixture.setUp(server, AuthFixture.config(Map.of("auth.refresh-reuse-grace", "PT1S")));
    }

    private AuthFixture.Reply refresh(String token) {
        return post(client, "/auth/refresh", body(Map.of("refresh_token", token)));
    }

    @Test
    void refreshRotatesTheToken() {
        JsonNode session = AuthFixture.newSession(client, "rot");
        var r = refresh(session.path("refresh_token").asText());
        assertThat(r.body(), r.status(), is(Status.OK_200));
        String next = r.json().path("refresh_token").asText();
        assertThat(next, not(is(session.path("refresh_token").asText())));
        assertThat(r.json().path("token_type").asText(), is("Bearer"));
        assertThat(get(client, "/users/me", r.json().path("access_token").asText()).status(), is(Status.OK_200));
        // The new one rotates in turn.
        assertThat(refresh(next).status(), is(Status.OK_200));
    }

    /** Two tabs refreshing the same token at the same moment both stay signed in. */
    @Test
    void concurrentRefreshWithinTheGraceWindowBothSucceed() throws Exception {
        JsonNode session = AuthFixture.newSession(client, "tabs");
        String token = session.path("refresh_token").asText();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<AuthFixture.Reply>> tabs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tabs.add(() -> {
                start.await();
                return refresh(token);
            });
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<AuthFixture.Reply>> results = tabs.stream().map(pool::submit).toList();
            start.countDown();
            List<String> tokens = new ArrayList<>();
            for (Future<AuthFixture.Reply> f : results) {
                AuthFixture.Reply r = f.get();
                assertThat(r.body(), r.status(), is(Status.OK_200));
                tokens.add(r.json().path("refresh_token").asText());
            }
            assertThat(tokens.stream().distinct().count(), is(4L));
            // Every tab's new token keeps working.
            for (String t : tokens) {
                assertThat(refresh(t).status(), is(Status.OK_200));
            }
        }
    }

    /** Reusing a rotated token after the grace window revokes the whole family, including the newest token. */
    @Test
    void reuseAfterTheGraceWindowRevokesTheSession() throws Exception {
        JsonNode session = AuthFixture.newSession(client, "reuse");
        String first = session.path("refresh_token").asText();
        var rotated = refresh(first);
        String second = rotated.json().path("refresh_token").asText();
        Thread.sleep(GRACE_MILLIS + 500);
        var reuse = refresh(first);
        assertThat(reuse.status(), is(Status.UNAUTHORIZED_401));
        assertThat(reuse.detail(), containsString("already used"));
        var descendant = refresh(second);
        assertThat(descendant.status(), is(Status.UNAUTHORIZED_401));
        assertThat(descendant.detail(), containsString("revoked"));
        // Another session of the same user is untouched.
        String email = session.path("user").path("email").asText();
        JsonNode other = login(client, email, PASSWORD);
        assertThat(refresh(other.path("refresh_token").asText()).status(), is(Status.OK_200));
    }

    @Test
    void unknownOrMalformedRefreshTokensAre401() {
        assertThat(refresh("A".repeat(43)).status(), is(Status.UNAUTHORIZED_401));
        assertThat(refresh("' OR 1=1 --").status(), is(Status.UNAUTHORIZED_401));
        assertThat(post(client, "/auth/refresh", "{}").status(), is(Status.BAD_REQUEST_400));
        assertThat(post(client, "/auth/refresh", "{\"refresh_token\": {\"a\": 1}}").status(), is(Status.BAD_REQUEST_400));
    }

    @Test
    void logoutRevokesTheCurrentSessionOnly() {
        String email = email("logout");
        register(client, email, PASSWORD);
        JsonNode a = login(client, email, PASSWORD);
        JsonNode b = login(client, email, PASSWORD);
        var out = post(client, "/auth/logout", null, a.path("access_token").asText());
        assertThat(out.status(), is(Status.NO_CONTENT_204));
        assertThat(refresh(a.path("refresh_token").asText()).status(), is(Status.UNAUTHORIZED_401));
        assertThat(refresh(b.path("refresh_token").asText()).status(), is(Status.OK_200));
        // By refresh token, without an access token.
        JsonNode c = login(client, email, PASSWORD);
        assertThat(post(client, "/auth/logout", body(Map.of("refresh_token", c.path("refresh_token").asText()))).status(),
                   is(Status.NO_CONTENT_204));
        assertThat(refresh(c.path("refresh_token").asText()).status(), is(Status.UNAUTHORIZED_401));
        // Neither: 401.
        assertThat(post(client, "/auth/logout", null).status(), is(Status.UNAUTHORIZED_401));
    }

    @Test
    void logoutAllRevokesEverySession() {
        String email = email("all");
        register(client, email, PASSWORD);
        JsonNode a = login(client, email, PASSWORD);
        JsonNode b = login(client, email, PASSWORD);
        assertThat(post(client, "/auth/logout-all", null, b.path("access_token").asText()).status(), is(Status.NO_CONTENT_204));
        assertThat(refresh(a.path("refresh_token").asText()).status(), is(Status.UNAUTHORIZED_401));
        assertThat(refresh(b.path("refresh_token").asText()).status(), is(Status.UNAUTHORIZED_401));
    }
}
