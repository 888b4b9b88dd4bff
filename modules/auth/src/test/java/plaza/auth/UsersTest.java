package plaza.auth;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.auth.passwords.PasswordHasher;
import plaza.platform.db.Database;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static plaza.auth.AuthFixture.PASSWORD;
import static plaza.auth.AuthFixture.body;
import static plaza.auth.AuthFixture.email;
import static plaza.auth.AuthFixture.get;
import static plaza.auth.AuthFixture.login;
import static plaza.auth.AuthFixture.post;
import static plaza.auth.AuthFixture.register;
import static plaza.auth.AuthFixture.send;

/** {@code /users/me}, the admin's {@code /users}, the first admin from config, key rotation, rehash on login. */
@ServerTest
class UsersTest {

    private static final String ADMIN_EMAIL = "root@plaza.test";
    private static final String ADMIN_PASSWORD = "admin-Granite-Orchard-5";
    private static Database db;
    private final Http1Client client;

    UsersTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        var config = AuthFixture.config(Map.of("auth.admin.email", " Root@Plaza.test ", "auth.admin.password", ADMIN_PASSWORD,
                                               "auth.key-directory", Files.createTempDirectory("auth-keys").toString()));
        db = Database.open(config.get("db"), "auth");
        plaza.platform.PlazaServer.configure(server, config, java.util.List.of(AuthService.create(config, db)));
    }

    private String admin() {
        return login(client, ADMIN_EMAIL, ADMIN_PASSWORD).path("access_token").asText();
    }

    @Test
    void meShowsRenamesAndValidates() {
        JsonNode session = AuthFixture.newSession(client, "me");
        String token = session.path("access_token").asText();
        assertThat(get(client, "/users/me", token).json().path("name").asText(), is("Test User"));
        var renamed = send(client, Method.PATCH, "/users/me", body(Map.of("name", "  Grace Hopper ")), token);
        assertThat(renamed.status(), is(Status.OK_200));
        assertThat(renamed.json().path("name").asText(), is("Grace Hopper"));
        assertThat(get(client, "/users/me", token).json().path("name").asText(), is("Grace Hopper"));
        assertThat(send(client, Method.PATCH, "/users/me", body(Map.of("name", "x".repeat(10_000))), token).status(), is(Status.BAD_REQUEST_400));
        assertThat(send(client, Method.PATCH, "/users/me", body(Map.of("name", "")), token).status(), is(Status.BAD_REQUEST_400));
        assertThat(send(client, Method.PATCH, "/users/me", "{\"name\": ", token).status(), is(Status.BAD_REQUEST_400));
        assertThat(send(client, Method.PUT, "/users/me", "{}", token).status(), is(Status.METHOD_NOT_ALLOWED_405));
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndRevokesOtherSessions() {
        String email = email("chpw");
        register(client, email, PASSWORD);
        JsonNode current = login(client, email, PASSWORD);
        JsonNode other = login(client, email, PASSWORD);
        String token = current.path("access_token").asText();
        var wrong = post(client, "/users/me/password", body(Map.of("current_password", "nope-nope-nope", "new_password", "fresh-Meadow-Stone-3")), token);
        assertThat(wrong.status(), is(Status.BAD_REQUEST_400));
        assertThat(wrong.body(), containsString("current_password"));
        var weak = post(client, "/users/me/password", body(Map.of("current_password", PASSWORD, "new_password", "password1")), token);
        assertThat(weak.status(), is(Status.BAD_REQUEST_400));
        var ok = post(client, "/users/me/password", body(Map.of("current_password", PASSWORD, "new_password", "fresh-Meadow-Stone-3")), token);
        assertThat(ok.body(), ok.status(), is(Status.NO_CONTENT_204));
        login(client, email, "fresh-Meadow-Stone-3");
        assertThat(post(client, "/auth/refresh", body(Map.of("refresh_token", other.path("refresh_token").asText()))).status(),
                   is(Status.UNAUTHORIZED_401));
        assertThat(post(client, "/auth/refresh", body(Map.of("refresh_token", current.path("refresh_token").asText()))).status(),
                   is(Status.OK_200));
    }

    /** After DELETE /users/me nothing of the account is left in any table. */
    @Test
    void deletedUsersDataIsGone() throws Exception {
        String email = email("delete");
        JsonNode user = register(client, email, PASSWORD);
        String id = user.path("user_id").asText();
        JsonNode session = login(client, email, PASSWORD);
        post(client, "/auth/forgot-password", body(Map.of("email", email)));
        AuthFixture.awaitMail(email, "Reset");
        post(client, "/auth/login", body(Map.of("email", email, "password", "wrong-password-1")));
        assertThat(count("SELECT COUNT(*) FROM login_failures WHERE email_hash = ?", plaza.auth.store.Hashes.sha256(email)), is(1));

        var deleted = send(client, Method.DELETE, "/users/me", null, session.path("access_token").asText());
        assertThat(deleted.status(), is(Status.NO_CONTENT_204));
        for (String table : new String[] {"users", "user_roles", "refresh_tokens", "password_resets", "email_verifications"}) {
            assertThat(table, count("SELECT COUNT(*) FROM " + table + " WHERE user_id = ?", id), is(0));
        }
        assertThat(count("SELECT COUNT(*) FROM users WHERE email = ?", email), is(0));
        assertThat(count("SELECT COUNT(*) FROM login_failures WHERE email_hash = ?", plaza.auth.store.Hashes.sha256(email)), is(0));
        assertThat(get(client, "/users/me", session.path("access_token").asText()).status(), is(Status.UNAUTHORIZED_401));
        assertThat(post(client, "/auth/login", body(Map.of("email", email, "password", PASSWORD))).status(), is(Status.UNAUTHORIZED_401));
        assertThat(post(client, "/auth/refresh", body(Map.of("refresh_token", session.path("refresh_token").asText()))).status(),
                   is(Status.UNAUTHORIZED_401));
        // The address can be registered again.
        register(client, email, PASSWORD);
    }

    @Test
    void theFirstAdminComesFromConfig() throws Exception {
        JsonNode session = login(client, ADMIN_EMAIL, ADMIN_PASSWORD);
        assertThat(SignedJWT.parse(session.path("access_token").asText()).getJWTClaimsSet().getStringListClaim("roles"), hasItem("admin"));
        assertThat(session.path("user").path("email_verified").asBoolean(), is(true));
    }

    @Test
    void adminListsSearchesAndPagesAccounts() {
        String marker = "pager" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            register(client, marker + "-" + i + "@example.com", PASSWORD);
        }
        String admin = admin();
        var page1 = get(client, "/users?query=" + marker + "&page=1&size=2", admin);
        assertThat(page1.status(), is(Status.OK_200));
        assertThat(page1.json().path("total").asLong(), is(3L));
        assertThat(page1.json().path("items").size(), is(2));
        assertThat(page1.body(), not(containsString("password")));
        var page2 = get(client, "/users?query=" + marker.toUpperCase() + "&page=2&size=2", admin);
        assertThat(page2.json().path("items").size(), is(1));
        var all = get(client, "/users", admin);
        assertThat(all.json().path("total").asLong() >= 4, is(true));
        // LIKE wildcards and SQL in the query are literal text.
        assertThat(get(client, "/users?query=%25", admin).json().path("total").asLong(), is(0L));
        assertThat(get(client, "/users?query=' OR '1'='1", admin).json().path("total").asLong(), is(0L));
        assertThat(get(client, "/users?page=0", admin).status(), is(Status.BAD_REQUEST_400));
        assertThat(get(client, "/users?size=abc", admin).status(), is(Status.BAD_REQUEST_400));
        // Not for ordinary users.
        String user = AuthFixture.newSession(client, "nosy").path("access_token").asText();
        assertThat(get(client, "/users", user).status(), is(Status.FORBIDDEN_403));
        assertThat(get(client, "/users", null).status(), is(Status.UNAUTHORIZED_401));
    }

    @Test
    void aDisabledUserCannotLogInOrRefresh() {
        String email = email("disable");
        String id = register(client, email, PASSWORD).path("user_id").asText();
        JsonNode session = login(client, email, PASSWORD);
        String admin = admin();
        var disabled = post(client, "/users/" + id + "/disable", null, admin);
        assertThat(disabled.status(), is(Status.OK_200));
        assertThat(disabled.json().path("disabled").asBoolean(), is(true));
        assertThat(post(client, "/auth/login", body(Map.of("email", email, "password", PASSWORD))).status(), is(Status.UNAUTHORIZED_401));
        assertThat(post(client, "/auth/refresh", body(Map.of("refresh_token", session.path("refresh_token").asText()))).status(),
                   is(Status.UNAUTHORIZED_401));
        assertThat(get(client, "/users/me", session.path("access_token").asText()).status(), is(Status.UNAUTHORIZED_401));

        assertThat(post(client, "/users/" + id + "/enable", null, admin).json().path("disabled").asBoolean(), is(false));
        login(client, email, PASSWORD);
        assertThat(get(client, "/users/" + id, admin).json().path("email").asText(), is(email));

        assertThat(post(client, "/users/no-such-id/disable", null, admin).status(), is(Status.NOT_FOUND_404));
        assertThat(get(client, "/users/no-such-id", admin).status(), is(Status.NOT_FOUND_404));
        String adminId = login(client, ADMIN_EMAIL, ADMIN_PASSWORD).path("user").path("user_id").asText();
        assertThat(post(client, "/users/" + adminId + "/disable", null, admin).status(), is(Status.CONFLICT_409));
        String user = session.path("access_token").asText();
        assertThat(post(client, "/users/" + id + "/disable", null, login(client, email, PASSWORD).path("access_token").asText()).status(),
                   is(Status.FORBIDDEN_403));
        assertThat(user.isEmpty(), is(false));
    }

    @Test
    void adminRotatesTheSigningKeyAndOldTokensStillVerify() throws Exception {
        String admin = admin();
        String oldKid = SignedJWT.parse(admin).getHeader().getKeyID();
        var rotated = post(client, "/auth/keys/rotate", null, admin);
        assertThat(rotated.body(), rotated.status(), is(Status.CREATED_201));
        String newKid = rotated.json().path("kid").asText();
        assertThat(newKid, not(is(oldKid)));
        // Published at once, signing only after auth.key-publish-ahead: tokens issued now still carry the old kid.
        assertThat(java.time.Instant.parse(rotated.json().path("signs_from").asText())
                           .isAfter(java.time.Instant.now().plusSeconds(60)), is(true));
        String fresh = admin();
        assertThat(SignedJWT.parse(fresh).getHeader().getKeyID(), is(oldKid));
        var jwks = get(client, "/auth/.well-known/jwks.json", null).body();
        assertThat(jwks, containsString(oldKid));
        assertThat(jwks, containsString(newKid));
        assertThat(get(client, "/users/me", admin).status(), is(Status.OK_200));
        assertThat(get(client, "/users/me", fresh).status(), is(Status.OK_200));
        String user = AuthFixture.newSession(client, "rot").path("access_token").asText();
        assertThat(post(client, "/auth/keys/rotate", null, user).status(), is(Status.FORBIDDEN_403));
    }

    /** A hash made with older Argon2 parameters is replaced at the next successful login. */
    @Test
    void loginRehashesOutdatedHashes() throws Exception {
        String email = email("rehash");
        String id = register(client, email, PASSWORD).path("user_id").asText();
        String old = new PasswordHasher(8_192, 1, 1, 1).hash(PASSWORD);
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ? WHERE user_id = ?")) {
            ps.setString(1, old);
            ps.setString(2, id);
            ps.executeUpdate();
        }
        login(client, email, PASSWORD);
        assertThat(hashOf(id), startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        login(client, email, PASSWORD);
    }

    private static String hashOf(String id) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM users WHERE user_id = ?")) {
            ps.setString(1, id);
            ResultSet rs = ps.executeQuery();
            rs.next();
            return rs.getString(1);
        }
    }

    private static int count(String sql, String param) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            ResultSet rs = ps.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }
}
