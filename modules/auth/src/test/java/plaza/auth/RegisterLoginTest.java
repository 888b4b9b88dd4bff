package plaza.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
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

/** Seed 001's register and login, the JWKS, and hostile input on both. */
@ServerTest
class RegisterLoginTest {

    private final Http1Client client;
    private final java.net.URI uri;

    RegisterLoginTest(Http1Client client, java.net.URI uri) {
        this.client = client;
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        AuthFixture.setUp(server, AuthFixture.config(Map.of()));
    }

    @Test
    void registerAnswers201WithTheUserAndNoHash() {
        String email = email("reg");
        var r = post(client, "/auth/register", body(Map.of("email", "  " + email.toUpperCase() + " ", "password", PASSWORD, "name", "Ada")));
        assertThat(r.body(), r.status(), is(Status.CREATED_201));
        JsonNode user = r.json();
        assertThat(user.path("email").asText(), is(email));
        assertThat(user.path("name").asText(), is("Ada"));
        assertThat(user.path("user_id").asText().length(), is(36));
        assertThat(user.path("email_verified").asBoolean(), is(false));
        assertThat(user.path("roles").toString(), is("[\"user\"]"));
        assertThat(user.has("created_at"), is(true));
        assertThat(r.body(), not(containsString("password")));
        assertThat(r.body(), not(containsString("argon2")));
    }

    @Test
    void emailsAreUniqueCaseInsensitivelyAndTrimmed() {
        String email = email("dup");
        register(client, email, PASSWORD);
        var r = post(client, "/auth/register", body(Map.of("email", " " + email.toUpperCase() + "\t", "password", PASSWORD, "name", "Twin")));
        assertThat(r.status(), is(Status.CONFLICT_409));
        assertThat(r.headers().first(HeaderNames.CONTENT_TYPE).orElse(""), is("application/problem+json"));
        assertThat(r.detail(), containsString("already exists"));
    }

    @Test
    void loginReturnsTokensAndTheUser() throws Exception {
        String email = email("login");
        JsonNode registered = register(client, email, PASSWORD);
        JsonNode session = login(client, " " + email.toUpperCase(), PASSWORD);
        assertThat(session.path("token_type").asText(), is("Bearer"));
        assertThat(session.path("expires_in").asLong(), is(900L));
        assertThat(session.path("refresh_token").asText().length(), is(43));
        assertThat(session.path("user").path("user_id").asText(), is(registered.path("user_id").asText()));
        assertThat(session.path("user").has("last_login"), is(true));

        SignedJWT jwt = SignedJWT.parse(session.path("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm().getName(), is("ES256"));
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer(), is("http://plaza.test")); // auth.public-url, as plaza.jwt.issuer is not set
        assertThat(claims.getAudience(), is(List.of("plaza")));
        assertThat(claims.getSubject(), is(registered.path("user_id").asText()));
        assertThat(claims.getStringClaim("email"), is(email));
        assertThat(claims.getStringClaim("name"), is("Test User"));
        assertThat(claims.getStringListClaim("roles"), is(List.of("user")));
        assertThat(claims.getBooleanClaim("email_verified"), is(false));
        assertThat(claims.getJWTID() != null && claims.getIssueTime() != null && claims.getNotBeforeTime() != null, is(true));
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime(), is(900_000L));

        // The JWKS publishes the key that signed it.
        var jwks = get(client, "/auth/.well-known/jwks.json", null);
        assertThat(jwks.status(), is(Status.OK_200));
        JWKSet set = JWKSet.parse(jwks.body());
        assertThat(set.getKeyByKeyId(jwt.getHeader().getKeyID()) != null, is(true));
        assertThat(jwks.body(), not(containsString("\"d\"")));

        // And the token opens /users/me.
        var me = get(client, "/users/me", session.path("access_token").asText());
        assertThat(me.status(), is(Status.OK_200));
        assertThat(me.json().path("email").asText(), is(email));
    }

    @Test
    void everyLoginFailureIsTheSame401() {
        String email = email("fail");
        register(client, email, PASSWORD);
        var wrongPassword = post(client, "/auth/login", body(Map.of("email", email, "password", "not-the-password")));
        var unknownEmail = post(client, "/auth/login", body(Map.of("email", email("nobody"), "password", PASSWORD)));
        var hugeEmail = post(client, "/auth/login", body(Map.of("email", "a".repeat(10_000) + "@x.io", "password", PASSWORD)));
        assertThat(wrongPassword.status(), is(Status.UNAUTHORIZED_401));
        assertThat(unknownEmail.status(), is(Status.UNAUTHORIZED_401));
        assertThat(hugeEmail.status(), is(Status.UNAUTHORIZED_401));
        assertThat(unknownEmail.body(), is(wrongPassword.body()));
        assertThat(wrongPassword.detail(), is("The email or password is wrong."));
    }

    @Test
    void registrationValidatesEveryField() {
        var missing = post(client, "/auth/register", "{}");
        assertThat(missing.status(), is(Status.BAD_REQUEST_400));
        assertThat(missing.json().path("errors").size(), is(3));

        var badEmail = post(client, "/auth/register", body(Map.of("email", "not-an-email", "password", PASSWORD, "name", "X")));
        assertThat(badEmail.status(), is(Status.BAD_REQUEST_400));
        assertThat(badEmail.json().path("errors").get(0).path("field").asText(), is("email"));

        var shortPassword = post(client, "/auth/register", body(Map.of("email", email("short"), "password", "Ab1!", "name", "X")));
        assertThat(shortPassword.status(), is(Status.BAD_REQUEST_400));
        assertThat(shortPassword.body(), containsString("at least 8"));

        var commonPassword = post(client, "/auth/register", body(Map.of("email", email("common"), "password", "Password123", "name", "X")));
        assertThat(commonPassword.status(), is(Status.BAD_REQUEST_400));
        assertThat(commonPassword.body(), containsString("commonly used"));

        var emailAsPassword = email("same");
        var same = post(client, "/auth/register", body(Map.of("email", emailAsPassword, "password", emailAsPassword, "name", "X")));
        assertThat(same.status(), is(Status.BAD_REQUEST_400));
    }

    /** 10,000-character values in every field: a 400 naming the field, never a 5xx. */
    @Test
    void veryLongValuesInEveryFieldAre400() {
        String longText = "x".repeat(10_000);
        for (String field : List.of("email", "password", "name")) {
            Map<String, String> values = new HashMap<>(Map.of("email", email("long"), "password", PASSWORD, "name", "Long"));
            values.put(field, field.equals("email") ? longText + "@example.com" : longText);
            var r = post(client, "/auth/register", body(values));
            assertThat(field, r.status(), is(Status.BAD_REQUEST_400));
            assertThat(field, r.json().path("errors").get(0).path("field").asText(), is(field));
        }
        var login = post(client, "/auth/login", body(Map.of("email", longText, "password", longText)));
        assertThat(login.status(), is(Status.UNAUTHORIZED_401));
        var forgot = post(client, "/auth/forgot-password", body(Map.of("email", longText)));
        assertThat(forgot.status(), is(Status.BAD_REQUEST_400));
        var reset = post(client, "/auth/reset-password", body(Map.of("token", longText, "new_password", PASSWORD)));
        assertThat(reset.status(), is(Status.BAD_REQUEST_400));
        var refresh = post(client, "/auth/refresh", body(Map.of("refresh_token", longText)));
        assertThat(refresh.status(), is(Status.UNAUTHORIZED_401));
    }

    /** SQL-injection strings are plain data: stored verbatim, and they match nothing else. */
    @Test
    void sqlInjectionStringsAreJustData() {
        String name = "Robert'); DROP TABLE users;--";
        String email = "o'brien+" + System.nanoTime() + "@example.com";
        String password = "' OR '1'='1' -- " + System.nanoTime();
        var r = post(client, "/auth/register", body(Map.of("email", email, "password", password, "name", name)));
        assertThat(r.body(), r.status(), is(Status.CREATED_201));
        assertThat(r.json().path("name").asText(), is(name));
        JsonNode session = login(client, email, password);
        assertThat(session.path("user").path("name").asText(), is(name));
        for (String attack : List.of("' OR '1'='1", "x@y.z' OR 1=1 --", "\" OR \"\"=\"", "'; DELETE FROM users; --")) {
            var attempt = post(client, "/auth/login", body(Map.of("email", attack, "password", attack)));
            assertThat(attack, attempt.status(), is(Status.UNAUTHORIZED_401));
            var forgot = post(client, "/auth/forgot-password", body(Map.of("email", attack)));
            assertThat(attack, forgot.status().code() == 202 || forgot.status().code() == 400, is(true));
            var verify = post(client, "/auth/verify-email", body(Map.of("token", attack)));
            assertThat(attack, verify.status(), is(Status.BAD_REQUEST_400));
        }
        // The table is still there and the account still works.
        login(client, email, password);
    }

    @Test
    void malformedJsonWrongTypesAndWrongMediaType() {
        var malformed = post(client, "/auth/login", "{\"email\": ");
        assertThat(malformed.status(), is(Status.BAD_REQUEST_400));
        assertThat(malformed.detail(), startsWith("Malformed JSON"));
        var wrongType = post(client, "/auth/register", "{\"email\": [1,2], \"password\": {}, \"name\": 3}");
        assertThat(wrongType.status(), is(Status.BAD_REQUEST_400));
        var notObject = post(client, "/auth/login", "[]");
        assertThat(notObject.status(), is(Status.BAD_REQUEST_400));
        var nothing = post(client, "/auth/login", null);
        assertThat(nothing.status(), is(Status.BAD_REQUEST_400));
        try (Http1ClientResponse text = client.post("/auth/login").header(HeaderNames.CONTENT_TYPE, "text/plain").submit("email=a")) {
            assertThat(text.status(), is(Status.UNSUPPORTED_MEDIA_TYPE_415));
        }
    }

    /** A body over the 1 MiB limit is refused by its Content-Length before it is read: 413 problem. */
    @Test
    void oversizedBodyIs413() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", uri.getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       + "Content-Length: 2000000\r\n\r\n{\"email\":\"" + "a".repeat(1000)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readNBytes(400), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(response, startsWith("HTTP/1.1 413"));
            assertThat(response, containsString("application/problem+json"));
        }
    }

    @Test
    void wrongMethodIs405AndUnknownPathIs404() {
        var r = AuthFixture.send(client, Method.GET, "/auth/login", null, null);
        assertThat(r.status(), is(Status.METHOD_NOT_ALLOWED_405));
        assertThat(r.headers().first(HeaderNames.ALLOW).orElse(""), is("POST"));
        assertThat(get(client, "/auth/nope", null).status(), is(Status.NOT_FOUND_404));
        assertThat(AuthFixture.send(client, Method.POST, "/auth/.well-known/jwks.json", "{}", null).status(), is(Status.METHOD_NOT_ALLOWED_405));
    }

    @Test
    void sessionEndpointsNeedATokenAndMetricsCountLogins() {
        assertThat(get(client, "/users/me", null).status(), is(Status.UNAUTHORIZED_401));
        assertThat(post(client, "/auth/logout-all", null).status(), is(Status.UNAUTHORIZED_401));
        String email = email("metrics");
        register(client, email, PASSWORD);
        login(client, email, PASSWORD);
        var metrics = get(client, "/observe/metrics", null);
        assertThat(metrics.body(), containsString("auth_logins_total"));
        assertThat(metrics.body(), containsString("outcome=\"success\""));
        assertThat(metrics.body(), containsString("auth_registrations_total"));
        assertThat(metrics.body().length(), greaterThan(100));
        assertThat(List.of(metrics.body().split("\n")), hasItem(containsString("auth_registrations_total")));
        assertThat(get(client, "/health", null).body(), equalTo("{\"status\":\"ok\"}"));
    }
}
