package plaza.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static plaza.auth.AuthFixture.PASSWORD;
import static plaza.auth.AuthFixture.get;

/**
 * The authorization code flow with PKCE as a real OpenID Connect client runs it (Nimbus OAuth 2.0 SDK; the
 * sign-in form driven with the JDK HttpClient, as a browser would post it): authorize, sign in, code, token with
 * an ID token validated against the JWKS, userinfo, refresh, revocation, introspection, end-session. Bad inputs
 * (the OpenID certification basic plan's that need no browser): a wrong redirect URI, a reused code, a PKCE
 * mismatch, an expired code, a wrong client secret, a wrong password on the form, plain PKCE, no PKCE, a third-party
 * client without consent.
 */
@ServerTest
class OidcCodeFlowTest {

    private static final String ISSUER = "http://plaza.test";
    private static final String REDIRECT = "http://localhost:3000/callback";
    private static final String PORTAL_SECRET = "portal-secret-0123456789abcdef0123456789";
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private final Http1Client client;
    private final URI base;
    private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    OidcCodeFlowTest(Http1Client client, URI uri) {
        this.client = client;
        this.base = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Map<String, String> extra = new HashMap<>();
        // web: a first-party public client (a single-page app); portal: a confidential third-party one.
        extra.put("auth.oauth.clients.0.id", "web");
        extra.put("auth.oauth.clients.0.first-party", "true");
        extra.put("auth.oauth.clients.0.redirect-uris", REDIRECT);
        extra.put("auth.oauth.clients.0.grant-types", "authorization_code refresh_token");
        extra.put("auth.oauth.clients.0.refresh-token-ttl", "PT1H");
        extra.put("auth.oauth.clients.1.id", "portal");
        extra.put("auth.oauth.clients.1.secret", PORTAL_SECRET);
        extra.put("auth.oauth.clients.1.redirect-uris", "https://portal.example/cb");
        extra.put("auth.oauth.clients.1.grant-types", "authorization_code client_credentials");
        extra.put("auth.oauth.code-ttl", "PT3S");
        AuthFixture.setUp(server, AuthFixture.config(extra));
    }

    private URI at(String path) {
        return base.resolve(path);
    }

    private record Started(CodeVerifier verifier, State state, Nonce nonce, URI authorize) {
    }

    private Started start(String clientId, String redirect) {
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "email", "profile"),
                                                          new ClientID(clientId), URI.create(redirect))
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(at("/auth/oauth/authorize")).build().toURI();
        return new Started(verifier, state, nonce, authorize);
    }

    /** GETs the sign-in page and posts its form with the credentials; returns the POST's answer. */
    private HttpResponse<String> signIn(URI authorize, String email, String password, boolean consent) throws Exception {
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body(), page.statusCode(), is(200));
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(page.body());
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
                    .replace("&lt;", "<").replace("&gt;", ">"));
        }
        fields.put("email", email);
        fields.put("password", password);
        if (consent) {
            fields.put("consent", "allow");
        }
        StringBuilder form = new StringBuilder();
        fields.forEach((k, v) -> form.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        return browser.send(HttpRequest.newBuilder(at("/auth/oauth/authorize")).header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> query(String location) {
        Map<String, String> q = new HashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private String user() {
        String email = AuthFixture.email("oidc");
        AuthFixture.register(client, email, PASSWORD);
        return email;
    }

    private String code(Started s, String email) throws Exception {
        HttpResponse<String> answer = signIn(s.authorize(), email, PASSWORD, false);
        assertThat(answer.body(), answer.statusCode(), is(303));
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertThat(location, startsWith(REDIRECT + "?"));
        Map<String, String> q = query(location);
        assertThat(q.get("state"), is(s.state().getValue()));
        assertThat(q.get("iss"), is(ISSUER));
        return q.get("code");
    }

    private TokenResponse redeem(String code, CodeVerifier verifier) throws Exception {
        return OIDCTokenResponseParser.parse(new TokenRequest(at("/auth/oauth/token"), new ClientID("web"),
                                                              new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(REDIRECT), verifier))
                                                     .toHTTPRequest().send());
    }

    @Test
    void codeFlowWithPkceIdTokenUserinfoRefreshRevocationIntrospectionAndLogout() throws Exception {
        String email = user();
        Started s = start("web", REDIRECT);
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(s.authorize()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""), startsWith("default-src 'none'"));
        assertThat(page.body(), not(containsString("<script")));
        assertThat(page.body(), not(containsString("consent"))); // first party: no consent step

        TokenResponse response = redeem(code(s, email), s.verifier());
        assertThat(response.toString(), response.indicatesSuccess(), is(true));
        OIDCTokenResponse ok = (OIDCTokenResponse) response.toSuccessResponse();
        JWKSet jwks = JWKSet.parse(get(client, "/auth/.well-known/jwks.json", null).body());
        IDTokenClaimsSet id = new IDTokenValidator(new Issuer(ISSUER), new ClientID("web"), JWSAlgorithm.ES256, jwks)
                .validate(ok.getOIDCTokens().getIDToken(), s.nonce());
        assertThat(id.getStringClaim("email"), is(email));
        BearerAccessToken access = ok.getOIDCTokens().getBearerAccessToken();
        assertThat(SignedJWT.parse(access.getValue()).getHeader().getType().toString(), is("at+jwt"));
        assertThat(SignedJWT.parse(access.getValue()).getJWTClaimsSet().getStringClaim("client_id"), is("web"));

        UserInfoResponse info = UserInfoResponse.parse(new UserInfoRequest(at("/auth/oauth/userinfo"), access).toHTTPRequest().send());
        assertThat(info.toSuccessResponse().getUserInfo().getEmailAddress(), is(email));
        assertThat(info.toSuccessResponse().getUserInfo().getSubject().getValue(), is(id.getSubject().getValue()));

        RefreshToken refresh = ok.getOIDCTokens().getRefreshToken();
        // The session belongs to client web: neither the JSON refresh nor another client may rotate it.
        assertThat(AuthFixture.post(client, "/auth/refresh", "{\"refresh_token\":\"" + refresh.getValue() + "\"}").status(),
                   is(io.helidon.http.Status.UNAUTHORIZED_401));
        TokenResponse refreshed = TokenResponse.parse(new TokenRequest(at("/auth/oauth/token"), new ClientID("web"),
                                                                       new RefreshTokenGrant(refresh)).toHTTPRequest().send());
        assertThat(refreshed.indicatesSuccess(), is(true));
        RefreshToken next = refreshed.toSuccessResponse().getTokens().getRefreshToken();

        ClientSecretBasic portal = new ClientSecretBasic(new ClientID("portal"), new Secret(PORTAL_SECRET));
        TokenIntrospectionResponse active = TokenIntrospectionResponse.parse(
                new TokenIntrospectionRequest(at("/auth/oauth/introspect"), portal, access).toHTTPRequest().send());
        assertThat(active.toSuccessResponse().isActive(), is(true));
        assertThat(active.toSuccessResponse().getClientID().getValue(), is("web"));
        var nextInfo = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(at("/auth/oauth/introspect"), portal, next)
                                                                 .toHTTPRequest().send()).toSuccessResponse();
        assertThat(nextInfo.isActive(), is(true));
        // web's own refresh-token lifetime (PT1H), not the default 30 days
        long left = nextInfo.getExpirationTime().toInstant().getEpochSecond() - java.time.Instant.now().getEpochSecond();
        assertThat(left > 3500 && left <= 3600, is(true));
        // Introspection is for confidential clients; a wrong secret is invalid_client.
        var publicClient = new TokenIntrospectionRequest(at("/auth/oauth/introspect"), new ClientSecretBasic(new ClientID("web"), new Secret("x")), access)
                .toHTTPRequest().send();
        assertThat(publicClient.getStatusCode(), is(401));
        var wrongSecret = new TokenIntrospectionRequest(at("/auth/oauth/introspect"),
                                                        new ClientSecretBasic(new ClientID("portal"), new Secret(PORTAL_SECRET + "x")), access)
                .toHTTPRequest().send();
        assertThat(wrongSecret.getStatusCode(), is(401));
        assertThat(wrongSecret.getBody(), containsString("invalid_client"));

        // RFC 7009: revoking the refresh token ends the session.
        var revoked = new TokenRevocationRequest(at("/auth/oauth/revoke"), new ClientID("web"), next).toHTTPRequest().send();
        assertThat(revoked.getStatusCode(), is(200));
        assertThat(TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(at("/auth/oauth/introspect"), portal, next)
                                                            .toHTTPRequest().send()).toSuccessResponse().isActive(), is(false));
        TokenResponse afterRevoke = TokenResponse.parse(new TokenRequest(at("/auth/oauth/token"), new ClientID("web"),
                                                                         new RefreshTokenGrant(next)).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) afterRevoke).getErrorObject().getCode(), is("invalid_grant"));

        // End-session with the ID token as hint revokes its session and returns to a registered URI with the state.
        Started again = start("web", REDIRECT);
        OIDCTokenResponse second = (OIDCTokenResponse) redeem(code(again, email), again.verifier()).toSuccessResponse();
        URI logout = URI.create(at("/auth/oauth/logout") + "?id_token_hint=" + second.getOIDCTokens().getIDTokenString()
                                + "&post_logout_redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&state=bye");
        HttpResponse<String> out = browser.send(HttpRequest.newBuilder(logout).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode(), is(303));
        assertThat(out.headers().firstValue("Location").orElseThrow(), is(REDIRECT + "?state=bye"));
        TokenResponse afterLogout = TokenResponse.parse(new TokenRequest(at("/auth/oauth/token"), new ClientID("web"),
                                                                         new RefreshTokenGrant(second.getOIDCTokens().getRefreshToken()))
                                                                .toHTTPRequest().send());
        assertThat(((TokenErrorResponse) afterLogout).getErrorObject().getCode(), is("invalid_grant"));
    }

    @Test
    void wrongRedirectUriIsAnErrorPageNotARedirect() throws Exception {
        for (String redirect : new String[] {"http://localhost:3000/callback/", "http://localhost:3000/other", "https://evil.example/cb"}) {
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(start("web", redirect).authorize()).build(),
                                                     HttpResponse.BodyHandlers.ofString());
            assertThat(redirect, page.statusCode(), is(400));
            assertThat(page.headers().firstValue("Location").isPresent(), is(false));
        }
        // Unknown client: the same.
        assertThat(browser.send(HttpRequest.newBuilder(start("nobody", REDIRECT).authorize()).build(), HttpResponse.BodyHandlers.ofString())
                           .statusCode(), is(400));
    }

    @Test
    void pkceIsRequiredAndS256Only() throws Exception {
        String plain = at("/auth/oauth/authorize") + "?response_type=code&client_id=web&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                       + "&state=s1&code_challenge=" + "a".repeat(43) + "&code_challenge_method=plain";
        HttpResponse<String> refused = browser.send(HttpRequest.newBuilder(URI.create(plain)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode(), is(303));
        Map<String, String> q = query(refused.headers().firstValue("Location").orElseThrow());
        assertThat(q.get("error"), is("invalid_request"));
        assertThat(q.get("state"), is("s1"));
        String none = at("/auth/oauth/authorize") + "?response_type=code&client_id=web&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
        assertThat(query(browser.send(HttpRequest.newBuilder(URI.create(none)).build(), HttpResponse.BodyHandlers.ofString())
                                 .headers().firstValue("Location").orElseThrow()).get("error"), is("invalid_request"));
    }

    @Test
    void reusedCodeMismatchedVerifierAndExpiredCodeAreInvalidGrant() throws Exception {
        String email = user();
        Started s = start("web", REDIRECT);
        String code = code(s, email);
        TokenResponse first = redeem(code, s.verifier());
        assertThat(first.indicatesSuccess(), is(true));
        TokenResponse reused = redeem(code, s.verifier());
        assertThat(((TokenErrorResponse) reused).getErrorObject().getCode(), is("invalid_grant"));
        // The reuse revoked the session the code had started.
        TokenResponse refresh = TokenResponse.parse(new TokenRequest(at("/auth/oauth/token"), new ClientID("web"),
                                                                     new RefreshTokenGrant(first.toSuccessResponse().getTokens().getRefreshToken()))
                                                            .toHTTPRequest().send());
        assertThat(((TokenErrorResponse) refresh).getErrorObject().getCode(), is("invalid_grant"));

        Started other = start("web", REDIRECT);
        TokenResponse mismatch = redeem(code(other, email), new CodeVerifier());
        assertThat(((TokenErrorResponse) mismatch).getErrorObject().getCode(), is("invalid_grant"));

        Started late = start("web", REDIRECT);
        String lateCode = code(late, email);
        Thread.sleep(3_500); // auth.oauth.code-ttl is PT3S here
        TokenResponse expired = redeem(lateCode, late.verifier());
        assertThat(((TokenErrorResponse) expired).getErrorObject().getCode(), is("invalid_grant"));
    }

    @Test
    void wrongPasswordShowsTheFormAgainAndThirdPartyClientsAskForConsent() throws Exception {
        String email = user();
        HttpResponse<String> wrong = signIn(start("web", REDIRECT).authorize(), email, "not-the-password", false);
        assertThat(wrong.statusCode(), is(401));
        assertThat(wrong.body(), containsString("The email or password is wrong."));
        assertThat(wrong.headers().firstValue("Location").isPresent(), is(false));

        Started portal = start("portal", "https://portal.example/cb");
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(portal.authorize()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body(), containsString("name=\"consent\""));
        HttpResponse<String> denied = signIn(portal.authorize(), email, PASSWORD, false);
        assertThat(query(denied.headers().firstValue("Location").orElseThrow()).get("error"), is("access_denied"));
        HttpResponse<String> allowed = signIn(portal.authorize(), email, PASSWORD, true);
        assertThat(query(allowed.headers().firstValue("Location").orElseThrow()).containsKey("code"), is(true));
    }
}
