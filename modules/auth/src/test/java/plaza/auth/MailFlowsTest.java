package plaza.auth;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.auth.store.Hashes;
import plaza.platform.db.Database;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static plaza.auth.AuthFixture.PASSWORD;
import static plaza.auth.AuthFixture.awaitMail;
import static plaza.auth.AuthFixture.body;
import static plaza.auth.AuthFixture.email;
import static plaza.auth.AuthFixture.get;
import static plaza.auth.AuthFixture.login;
import static plaza.auth.AuthFixture.post;
import static plaza.auth.AuthFixture.register;

/**
 * Forgot-password and email verification end to end over real SMTP (GreenMail in-process): the test reads the
 * mail, follows its link (a page that does not consume the token) and posts the token found in it.
 */
@ServerTest
class MailFlowsTest {

    private static final String NEW_PASSWORD = "quiet-Lantern-Maple-7";
    private static Database db;
    private final Http1Client client;

    MailFlowsTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        var config = AuthFixture.config(Map.of());
        db = Database.open(config.get("db"), "auth");
        plaza.platform.PlazaServer.configure(server, config, java.util.List.of(AuthService.create(config, db)));
    }

    private AuthFixture.Reply reset(String token, String password) {
        return post(client, "/auth/reset-password", body(Map.of("token", token, "new_password", password)));
    }

    @Test
    void forgotPasswordThenResetWithTheMailedLink() {
        String email = email("forgot");
        register(client, email, PASSWORD);
        JsonNode before = login(client, email, PASSWORD);

        var accepted = post(client, "/auth/forgot-password", body(Map.of("email", email.toUpperCase())));
        assertThat(accepted.status(), is(Status.ACCEPTED_202));
        String mail = awaitMail(email, "Reset your Plaza password");
        assertThat(mail, containsString("expires in 1 hour"));
        // The mail is read by a person: it says what to do with the link and the code, not which API to call.
        assertThat(mail, not(containsString("POST ")));
        assertThat(mail, containsString("copy it into your browser's address bar"));
        assertThat(mail, containsString("asks you for a reset code"));
        String link = AuthFixture.linkIn(mail);
        assertThat(link, startsWith("http://plaza.test/auth/reset-password?token="));

        // Opening the link (as a mail scanner would) shows a page and consumes nothing.
        URI uri = URI.create(link);
        var page = get(client, uri.getRawPath() + "?" + uri.getRawQuery(), null);
        assertThat(page.status(), is(Status.OK_200));
        assertThat(page.headers().first(HeaderNames.CONTENT_TYPE).orElse(""), startsWith("text/html"));
        assertThat(page.headers().first(HeaderNames.create("Content-Security-Policy")).orElse(""), containsString("script-src 'sha256-"));
        assertThat(page.body(), containsString("/auth/reset-password"));

        String token = uri.getRawQuery().substring("token=".length());
        assertThat(token, is(AuthFixture.tokenIn(mail)));
        var weak = reset(token, "password");
        assertThat(weak.status(), is(Status.BAD_REQUEST_400));
        var done = reset(token, NEW_PASSWORD);
        assertThat(done.body(), done.status(), is(Status.NO_CONTENT_204));

        // New password works, old does not, and old sessions are revoked.
        login(client, email, NEW_PASSWORD);
        assertThat(post(client, "/auth/login", body(Map.of("email", email, "password", PASSWORD))).status(), is(Status.UNAUTHORIZED_401));
        assertThat(post(client, "/auth/refresh", body(Map.of("refresh_token", before.path("refresh_token").asText()))).status(),
                   is(Status.UNAUTHORIZED_401));

        // The token was single-use.
        var reuse = reset(token, "another-Fine-Password-9");
        assertThat(reuse.status(), is(Status.BAD_REQUEST_400));
        assertThat(reuse.detail(), containsString("already been used"));
    }

    @Test
    void forgotPasswordAnswersTheSameForUnknownAddressesAndSendsNothing() {
        String known = email("known");
        register(client, known, PASSWORD);
        String unknown = email("unknown");
        var a = post(client, "/auth/forgot-password", body(Map.of("email", known)));
        var b = post(client, "/auth/forgot-password", body(Map.of("email", unknown)));
        assertThat(a.status(), is(Status.ACCEPTED_202));
        assertThat(b.status(), is(Status.ACCEPTED_202));
        assertThat(a.body(), is(b.body()));
        awaitMail(known, "Reset");
        assertThat(AuthFixture.mailCount(unknown), is(0L));
    }

    @Test
    void expiredAndUnknownResetTokensAre400WithAClearDetail() throws Exception {
        String email = email("expired");
        register(client, email, PASSWORD);
        post(client, "/auth/forgot-password", body(Map.of("email", email)));
        String token = AuthFixture.tokenIn(awaitMail(email, "Reset"));
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE password_resets SET expires_at = ? WHERE reset_token = ?")) {
            ps.setObject(1, LocalDateTime.now(ZoneOffset.UTC).minusMinutes(1));
            ps.setString(2, Hashes.sha256(token));
            assertThat(ps.executeUpdate(), is(1));
        }
        var expired = reset(token, NEW_PASSWORD);
        assertThat(expired.status(), is(Status.BAD_REQUEST_400));
        assertThat(expired.detail(), containsString("expired"));
        var unknown = reset(Hashes.newToken(), NEW_PASSWORD);
        assertThat(unknown.status(), is(Status.BAD_REQUEST_400));
        assertThat(unknown.detail(), containsString("not valid"));
        assertThat(reset("", NEW_PASSWORD).status(), is(Status.BAD_REQUEST_400));
        // The password is unchanged.
        login(client, email, PASSWORD);
    }

    @Test
    void tokensAreStoredHashed() throws Exception {
        String email = email("hashed");
        register(client, email, PASSWORD);
        post(client, "/auth/forgot-password", body(Map.of("email", email)));
        String token = AuthFixture.tokenIn(awaitMail(email, "Reset"));
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM password_resets WHERE reset_token = ? OR reset_token = ?")) {
            ps.setString(1, token);
            ps.setString(2, Hashes.sha256(token));
            var rs = ps.executeQuery();
            rs.next();
            assertThat(rs.getInt(1), is(1));
        }
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM password_resets WHERE reset_token = ?")) {
            ps.setString(1, token);
            var rs = ps.executeQuery();
            rs.next();
            assertThat(rs.getInt(1), is(0));
        }
    }

    @Test
    void registrationMailVerifiesTheAddress() throws Exception {
        String email = email("verify");
        register(client, email, PASSWORD);
        String mail = awaitMail(email, "Confirm your email address");
        assertThat(mail, not(containsString("POST ")));
        assertThat(mail, containsString("asks you for a confirmation code"));
        String link = AuthFixture.linkIn(mail);
        assertThat(link, startsWith("http://plaza.test/auth/verify-email?token="));
        URI uri = URI.create(link);
        // GET shows the confirmation page and does not verify.
        assertThat(get(client, uri.getRawPath() + "?" + uri.getRawQuery(), null).status(), is(Status.OK_200));
        JsonNode before = login(client, email, PASSWORD);
        assertThat(SignedJWT.parse(before.path("access_token").asText()).getJWTClaimsSet().getBooleanClaim("email_verified"), is(false));

        String token = AuthFixture.tokenIn(mail);
        assertThat(post(client, "/auth/verify-email", body(Map.of("token", token))).status(), is(Status.NO_CONTENT_204));
        JsonNode after = login(client, email, PASSWORD);
        assertThat(SignedJWT.parse(after.path("access_token").asText()).getJWTClaimsSet().getBooleanClaim("email_verified"), is(true));
        assertThat(after.path("user").path("email_verified").asBoolean(), is(true));
        var again = post(client, "/auth/verify-email", body(Map.of("token", token)));
        assertThat(again.status(), is(Status.BAD_REQUEST_400));
        assertThat(again.detail(), containsString("already been used"));
    }

    @Test
    void resendVerificationSendsANewMailOnlyToUnverifiedAccounts() {
        String email = email("resend");
        register(client, email, PASSWORD);
        awaitMail(email, "Confirm");
        var r = post(client, "/auth/resend-verification", body(Map.of("email", email)));
        assertThat(r.status(), is(Status.ACCEPTED_202));
        long deadline = System.currentTimeMillis() + 10_000;
        while (AuthFixture.mailCount(email) < 2 && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(AuthFixture.mailCount(email), is(2L));
        var unknown = post(client, "/auth/resend-verification", body(Map.of("email", email("ghost"))));
        assertThat(unknown.status(), is(Status.ACCEPTED_202));
        assertThat(unknown.body(), is(r.body()));
    }
}
