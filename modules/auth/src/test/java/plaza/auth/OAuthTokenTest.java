package plaza.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.PlazaService;
import plaza.platform.security.TokenVerifier;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static plaza.auth.AuthFixture.get;
import static plaza.auth.AuthFixture.post;

/**
 * The RFC 6749 token endpoint driven by a real OAuth client (Nimbus OAuth 2.0 SDK): discovery, client credentials
 * (Basic and post) whose token reads a service-only route where a user token gets 403, the refresh_token grant with
 * rotation and reuse detection, clients from config and from the admin API. Bad inputs: a wrong secret, an unknown
 * client, a public client asking for client_credentials, a scope the client lacks, an unknown grant type, a JSON
 * body, a parameter sent twice, a malformed %-escape, a reused refresh token, a client-credentials token at
 * /users/me.
 */
@ServerTest
class OAuthTokenTest {

    private static final String ISSUER = "http://plaza.test";
    private static final String SECRET = "feed-reader-secret-0123456789abcdef0123";
    private static final String ADMIN_EMAIL = "oauth-admin@plaza.test";
    private static final String ADMIN_PASSWORD = "admin-Granite-Orchard-5";
    private final Http1Client client;
    private final URI tokenEndpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    OAuthTokenTest(Http1Client client, URI uri) {
        this.client = client;
        this.tokenEndpoint = uri.resolve("/auth/oauth/token");
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Map<String, String> extra = new HashMap<>();
        extra.put("auth.oauth.clients.0.id", "recommend");
        extra.put("auth.oauth.clients.0.secret", SECRET);
        extra.put("auth.oauth.clients.0.scopes", "events:read feed:read");
        extra.put("auth.oauth.clients.0.grant-types", "client_credentials,refresh_token");
        extra.put("auth.oauth.clients.0.access-token-ttl", "PT5M");
        extra.put("auth.admin.email", ADMIN_EMAIL);
        extra.put("auth.admin.password", ADMIN_PASSWORD);
        var config = AuthFixture.config(extra);
        AuthService auth = AuthService.create(config, plaza.platform.db.Database.open(config.get("db"), "auth"));
        TokenVerifier verifier = auth.tokenVerifier();
        PlazaService serviceOnly = new PlazaService() {
            @Override
            public String name() {
                return "feed";
            }

            @Override
            public void routing(HttpRouting.Builder routing) {
                routing.get("/feed", verifier.requireService((req, res) -> res.send("feed for " + verifier.caller(req).id())));
            }
        };
        PlazaServer.configure(server, config, List.of(auth, serviceOnly));
    }

    private TokenResponse send(TokenRequest request) throws Exception {
        return TokenResponse.parse(request.toHTTPRequest().send());
    }

    @Test
    void discoveryParsesAndNamesTheTokenEndpoint() throws Exception {
        OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(get(client, "/.well-known/openid-configuration", null).body());
        assertThat(metadata.getIssuer().getValue(), is(ISSUER));
        assertThat(metadata.getTokenEndpointURI().toString(), is(ISSUER + "/auth/oauth/token"));
    }

    @Test
    void clientCredentialsTokenReadsAServiceRouteAndAUserTokenGets403() throws Exception {
        TokenResponse response = send(new TokenRequest(tokenEndpoint, new ClientSecretBasic(new ClientID("recommend"), new Secret(SECRET)),
                                                       new ClientCredentialsGrant(), new Scope("events:read")));
        assertThat(response.indicatesSuccess(), is(true));
        var tokens = response.toSuccessResponse().getTokens();
        assertThat(tokens.getAccessToken().getScope().toString(), is("events:read"));
        assertThat(tokens.getAccessToken().getLifetime(), is(300L));
        assertThat(tokens.getRefreshToken(), nullValue()); // §4.4.3: no refresh token for client credentials
        SignedJWT jwt = SignedJWT.parse(tokens.getAccessToken().getValue());
        assertThat(jwt.getHeader().getType().toString(), is("at+jwt"));
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id"), is("recommend"));
        assertThat(jwt.getJWTClaimsSet().getSubject(), is("recommend"));
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope"), is("events:read"));
        assertThat(jwt.getJWTClaimsSet().getIssuer(), is(ISSUER));

        var feed = get(client, "/feed", tokens.getAccessToken().getValue());
        assertThat(feed.status(), is(Status.OK_200));
        assertThat(feed.body(), is("feed for recommend"));
        String user = AuthFixture.newSession(client, "svc").path("access_token").asText();
        assertThat(get(client, "/feed", user).status(), is(Status.FORBIDDEN_403));
        assertThat(get(client, "/feed", null).status(), is(Status.UNAUTHORIZED_401));
        // A service token is no account.
        assertThat(get(client, "/users/me", tokens.getAccessToken().getValue()).status(), is(Status.UNAUTHORIZED_401));

        // client_secret_post works as well; no scope asked → every scope of the client.
        TokenResponse viaPost = send(new TokenRequest(tokenEndpoint, new ClientSecretPost(new ClientID("recommend"), new Secret(SECRET)),
                                                      new ClientCredentialsGrant(), null));
        assertThat(viaPost.toSuccessResponse().getTokens().getAccessToken().getScope().toString(), is("events:read feed:read"));
    }

    @Test
    void errorsAreRfc6749Json() throws Exception {
        TokenResponse wrongSecret = send(new TokenRequest(tokenEndpoint, new ClientSecretBasic(new ClientID("recommend"),
                                                                                               new Secret(SECRET + "x")),
                                                          new ClientCredentialsGrant(), null));
        assertThat(((TokenErrorResponse) wrongSecret).getErrorObject().getCode(), is("invalid_client"));
        assertThat(((TokenErrorResponse) wrongSecret).getErrorObject().getHTTPStatusCode(), is(401));
        TokenResponse unknown = send(new TokenRequest(tokenEndpoint, new ClientSecretBasic(new ClientID("nobody"), new Secret(SECRET)),
                                                      new ClientCredentialsGrant(), null));
        assertThat(((TokenErrorResponse) unknown).getErrorObject().getCode(), is("invalid_client"));
        TokenResponse badScope = send(new TokenRequest(tokenEndpoint, new ClientSecretBasic(new ClientID("recommend"), new Secret(SECRET)),
                                                       new ClientCredentialsGrant(), new Scope("admin")));
        assertThat(((TokenErrorResponse) badScope).getErrorObject().getCode(), is("invalid_scope"));

        assertThat(form("grant_type=password&client_id=recommend&client_secret=" + SECRET).body(), containsString("\"unsupported_grant_type\""));
        var twice = form("grant_type=client_credentials&grant_type=client_credentials&client_id=recommend&client_secret=" + SECRET);
        assertThat(twice.statusCode(), is(400));
        assertThat(twice.body(), containsString("\"invalid_request\""));
        assertThat(twice.headers().firstValue("Cache-Control").orElse(""), is("no-store"));
        assertThat(form("grant_type=client_credentials&client_id=recommend&client_secret=%zz").body(), containsString("\"invalid_request\""));
        var json = http.send(HttpRequest.newBuilder(tokenEndpoint).header("Content-Type", "application/json")
                                     .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}")).build(),
                             HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode(), is(400));
        assertThat(json.body(), containsString("\"invalid_request\""));
    }

    private HttpResponse<String> form(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(tokenEndpoint).header("Content-Type", "application/x-www-form-urlencoded")
                                 .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refreshTokenGrantRotatesAndDetectsReuse() throws Exception {
        String refresh = AuthFixture.newSession(client, "rt").path("refresh_token").asText();
        ClientSecretBasic auth = new ClientSecretBasic(new ClientID("recommend"), new Secret(SECRET));
        TokenResponse first = send(new TokenRequest(tokenEndpoint, auth, new RefreshTokenGrant(new RefreshToken(refresh)), null));
        assertThat(first.indicatesSuccess(), is(true));
        var tokens = first.toSuccessResponse().getTokens();
        assertThat(tokens.getRefreshToken().getValue(), not(is(refresh)));
        SignedJWT jwt = SignedJWT.parse(tokens.getAccessToken().getValue());
        assertThat(jwt.getHeader().getType().toString(), is("at+jwt"));
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id"), is("recommend"));
        assertThat(get(client, "/users/me", tokens.getAccessToken().getValue()).status(), is(Status.OK_200));
        // The JSON refresh of seed 001 and the OAuth grant share one rotation: the next token works at /auth/refresh.
        var json = post(client, "/auth/refresh", "{\"refresh_token\":\"" + tokens.getRefreshToken().getValue() + "\"}");
        assertThat(json.status(), is(Status.OK_200));
        TokenResponse garbage = send(new TokenRequest(tokenEndpoint, auth, new RefreshTokenGrant(new RefreshToken("not-a-token")), null));
        assertThat(((TokenErrorResponse) garbage).getErrorObject().getCode(), is("invalid_grant"));
    }

    @Test
    void adminRegistersListsAndDeletesClients() throws Exception {
        String admin = AuthFixture.login(client, ADMIN_EMAIL, ADMIN_PASSWORD).path("access_token").asText();
        var created = post(client, "/auth/oauth/clients", "{\"name\":\"Events reader\",\"scopes\":[\"events:read\"],"
                                                          + "\"grant_types\":[\"client_credentials\"],\"access_token_ttl\":120}", admin);
        assertThat(created.body(), created.status(), is(Status.CREATED_201));
        JsonNode c = created.json();
        String id = c.path("client_id").asText();
        String secret = c.path("client_secret").asText();
        assertThat(secret.length(), is(43));
        TokenResponse token = send(new TokenRequest(tokenEndpoint, new ClientSecretBasic(new ClientID(id), new Secret(secret)),
                                                    new ClientCredentialsGrant(), null));
        assertThat(token.toSuccessResponse().getTokens().getAccessToken().getLifetime(), is(120L));
        var listed = get(client, "/auth/oauth/clients", admin);
        assertThat(listed.body(), containsString(id));
        assertThat(listed.body(), not(containsString(secret)));
        // A user is not an admin; a public client cannot use client_credentials; a bad redirect URI is a 400.
        String user = AuthFixture.newSession(client, "cl").path("access_token").asText();
        assertThat(post(client, "/auth/oauth/clients", "{\"name\":\"x\"}", user).status(), is(Status.FORBIDDEN_403));
        // each 400 names the body field that is wrong (errors[].field)
        var publicCredentials = post(client, "/auth/oauth/clients", "{\"name\":\"x\",\"confidential\":false}", admin);
        assertThat(publicCredentials.status(), is(Status.BAD_REQUEST_400));
        assertThat(publicCredentials.body(), containsString("\"field\":\"confidential\""));
        var badRedirect = post(client, "/auth/oauth/clients", "{\"name\":\"x\",\"grant_types\":[\"authorization_code\"],"
                                                              + "\"redirect_uris\":[\"http://evil.example/cb\"]}", admin);
        assertThat(badRedirect.status(), is(Status.BAD_REQUEST_400));
        assertThat(badRedirect.body(), containsString("\"field\":\"redirect_uris\""));
        var badScope = post(client, "/auth/oauth/clients", "{\"name\":\"x\",\"scopes\":[\"two words\"]}", admin);
        assertThat(badScope.status(), is(Status.BAD_REQUEST_400));
        assertThat(badScope.body(), containsString("\"field\":\"scopes\""));
        assertThat(AuthFixture.send(client, io.helidon.http.Method.DELETE, "/auth/oauth/clients/" + id, null, admin).status(),
                   is(Status.NO_CONTENT_204));
        TokenResponse gone = send(new TokenRequest(tokenEndpoint, new ClientSecretBasic(new ClientID(id), new Secret(secret)),
                                                   new ClientCredentialsGrant(), null));
        assertThat(((TokenErrorResponse) gone).getErrorObject().getCode(), is("invalid_client"));
    }
}
