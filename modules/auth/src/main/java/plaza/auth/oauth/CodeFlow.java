package plaza.auth.oauth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.auth.sessions.Sessions;
import plaza.auth.sessions.TokenResponse;
import plaza.auth.store.Hashes;
import plaza.auth.store.Jdbc;
import plaza.auth.tokens.AccessTokens;
import plaza.auth.tokens.SigningKeys;
import plaza.platform.http.ProblemException;

/**
 * The authorization code flow (RFC 6749 §4.1) with PKCE S256 only (RFC 7636) and OpenID Connect ID tokens:
 * {@code GET /auth/oauth/authorize} shows the sign-in page, its POST checks the password like the JSON login and
 * redirects to the client with a single-use code (stored hashed, {@code auth.oauth.code-ttl} PT1M), which the token
 * endpoint exchanges for tokens. Also end-session. The redirect URI must equal a registered one exactly; a request
 * with an unknown client or redirect URI is answered with an error page, never redirected (§4.1.2.1).
 */
final class CodeFlow {

    /** RFC 7636 §4.1: 43–128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** OpenID Connect scopes every client may ask for, besides its own. */
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email", "offline_access");
    private static final List<String> REQUEST_PARAMETERS = List.of("response_type", "client_id", "redirect_uri", "scope", "state",
                                                                   "nonce", "code_challenge", "code_challenge_method");

    private final OAuthClients clients;
    private final Sessions sessions;
    private final AccessTokens accessTokens;
    private final SigningKeys keys;
    private final Jdbc jdbc;
    private final Duration codeTtl;

    CodeFlow(OAuthClients clients, Sessions sessions, AccessTokens accessTokens, SigningKeys keys, Jdbc jdbc, Duration codeTtl) {
        this.clients = clients;
        this.sessions = sessions;
        this.accessTokens = accessTokens;
        this.keys = keys;
        this.jdbc = jdbc;
        this.codeTtl = codeTtl;
    }

    /** A request that cannot go back to the client: shown as a page. */
    private static final class NotRedirectable extends RuntimeException {
        NotRedirectable(String message) {
            super(message, null, false, false);
        }
    }

    /** An error to send to the client's redirect URI (§4.1.2.1). */
    private static final class Redirected extends RuntimeException {
        final String error;

        Redirected(String error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }

    private record Checked(OAuthClient client, String redirectUri, String scope, Map<String, String> request) {
    }

    void authorizePage(ServerRequest req, ServerResponse res) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : REQUEST_PARAMETERS) {
            List<String> values = req.query().all(name, List::of);
            if (values.size() > 1) {
                SignInPage.error(res, "Parameter '" + name + "' is included more than once.");
                return;
            }
            if (!values.isEmpty() && !values.getFirst().isEmpty()) {
                params.put(name, values.getFirst());
            }
        }
        Checked checked;
        try {
            checked = check(params);
            if ("none".equals(req.query().first("prompt").orElse(""))) {
                throw new Redirected("login_required", "There is no signed-in session here; sign in on the page.");
            }
        } catch (NotRedirectable e) {
            SignInPage.error(res, e.getMessage());
            return;
        } catch (Redirected e) {
            redirectError(res, params, e);
            return;
        }
        SignInPage.send(res, Status.OK_200, checked.client().name(), !checked.client().firstParty(), checked.scope(), checked.request(), null);
    }

    void authorizeSubmit(ServerRequest req, ServerResponse res) {
        Map<String, String> form;
        try {
            form = OAuthResource.form(req);
        } catch (OAuthError e) {
            SignInPage.error(res, e.getMessage());
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : REQUEST_PARAMETERS) {
            if (form.containsKey(name)) {
                params.put(name, form.get(name));
            }
        }
        Checked checked;
        try {
            checked = check(params);
        } catch (NotRedirectable e) {
            SignInPage.error(res, e.getMessage());
            return;
        } catch (Redirected e) {
            redirectError(res, params, e);
            return;
        }
        OAuthClient client = checked.client();
        Sessions.SignedIn signedIn;
        try {
            signedIn = sessions.signIn(form.getOrDefault("email", ""), form.getOrDefault("password", ""), false);
        } catch (ProblemException e) {
            SignInPage.send(res, e.status() == Status.TOO_MANY_REQUESTS_429 ? e.status() : Status.UNAUTHORIZED_401, client.name(),
                            !client.firstParty(), checked.scope(), checked.request(), e.getMessage());
            return;
        }
        if (!client.firstParty() && !"allow".equals(form.get("consent"))) {
            redirectError(res, params, new Redirected("access_denied", "The user did not allow access."));
            return;
        }
        String code = Hashes.newToken();
        Instant now = Jdbc.now();
        jdbc.transaction(c -> Jdbc.update(c, "INSERT INTO oauth_codes (code_hash, client_id, user_id, redirect_uri, scope, nonce, "
                                             + "code_challenge, auth_time, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                          Hashes.sha256(code), client.id(), signedIn.user().id(), checked.redirectUri(), checked.scope(),
                                          params.get("nonce"), params.get("code_challenge"), now, now.plus(codeTtl)));
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", code);
        if (params.containsKey("state")) {
            answer.put("state", params.get("state"));
        }
        answer.put("iss", accessTokens.issuer()); // RFC 9207
        redirect(res, checked.redirectUri(), answer);
    }

    private Checked check(Map<String, String> params) {
        Optional<OAuthClient> found = clients.find(params.get("client_id"));
        if (found.isEmpty()) {
            throw new NotRedirectable("Unknown client_id.");
        }
        OAuthClient client = found.get();
        String redirectUri = params.get("redirect_uri");
        if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            throw new NotRedirectable("redirect_uri must be exactly one of the client's registered redirect URIs.");
        }
        if (!client.allows("authorization_code")) {
            throw new Redirected("unauthorized_client", "This client may not use the authorization code flow.");
        }
        if (!"code".equals(params.get("response_type"))) {
            throw new Redirected("unsupported_response_type", "Only response_type=code is supported.");
        }
        if (params.get("code_challenge") == null || !"S256".equals(params.get("code_challenge_method"))) {
            throw new Redirected("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.");
        }
        if (!CHALLENGE.matcher(params.get("code_challenge")).matches()) {
            throw new Redirected("invalid_request", "code_challenge must be the 43-character BASE64URL SHA-256 of the verifier.");
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : params.getOrDefault("scope", "").trim().split(" +")) {
            if (scope.isEmpty()) {
                continue;
            }
            if (!OIDC_SCOPES.contains(scope) && !client.scopes().contains(scope)) {
                throw new Redirected("invalid_scope", "Scope '" + scope + "' is not granted to this client.");
            }
            scopes.add(scope);
        }
        if (params.getOrDefault("nonce", "").length() > 512 || params.getOrDefault("state", "").length() > 2048) {
            throw new Redirected("invalid_request", "state (2048) or nonce (512 characters) is too long.");
        }
        return new Checked(client, redirectUri, String.join(" ", scopes), params);
    }

    private static void redirectError(ServerResponse res, Map<String, String> params, Redirected e) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("error", e.error);
        answer.put("error_description", e.getMessage());
        if (params.containsKey("state")) {
            answer.put("state", params.get("state"));
        }
        redirect(res, params.get("redirect_uri"), answer);
    }

    private static void redirect(ServerResponse res, String uri, Map<String, String> query) {
        StringBuilder location = new StringBuilder(uri).append(uri.contains("?") ? '&' : '?');
        query.forEach((k, v) -> location.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        location.setLength(location.length() - 1);
        res.status(Status.SEE_OTHER_303); // a POST answered: the browser follows with GET
        res.header(HeaderNames.LOCATION, location.toString());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }

    private record Code(String clientId, String userId, String redirectUri, String scope, String nonce, String challenge,
                        Instant authTime, Instant expiresAt, Instant usedAt, String familyId) {
    }

    /** The token endpoint's authorization_code grant. */
    Map<String, Object> exchange(OAuthClient client, Map<String, String> form) {
        if (!client.allows("authorization_code")) {
            throw OAuthError.unauthorizedClient("This client may not use authorization_code.");
        }
        String code = form.get("code");
        String verifier = form.get("code_verifier");
        if (code == null || form.get("redirect_uri") == null || verifier == null) {
            throw OAuthError.invalidRequest("code, redirect_uri and code_verifier are required.");
        }
        Instant now = Jdbc.now();
        String hash = Hashes.sha256(code);
        Optional<Code> stored = jdbc.transaction(c -> {
            try (var ps = Jdbc.prepare(c, "SELECT * FROM oauth_codes WHERE code_hash = ? FOR UPDATE", hash); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<Code>empty();
                }
                Code found = new Code(rs.getString("client_id"), rs.getString("user_id"), rs.getString("redirect_uri"), rs.getString("scope"),
                                      rs.getString("nonce"), rs.getString("code_challenge"), Jdbc.instant(rs, "auth_time"),
                                      Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "used_at"), rs.getString("family_id"));
                if (found.usedAt() == null) {
                    Jdbc.update(c, "UPDATE oauth_codes SET used_at = ? WHERE code_hash = ?", now, hash); // single use, whatever follows
                }
                return Optional.of(found);
            }
        });
        if (stored.isEmpty() || !stored.get().clientId().equals(client.id())) {
            throw OAuthError.invalidGrant("The authorization code is not valid for this client.");
        }
        Code c = stored.get();
        if (c.usedAt() != null) {
            if (c.familyId() != null) {
                sessions.revokeFamily(c.familyId()); // §4.1.2: a code used twice revokes what it gave out
            }
            throw OAuthError.invalidGrant("The authorization code was already used; the tokens it gave are revoked.");
        }
        if (!c.expiresAt().isAfter(now)) {
            throw OAuthError.invalidGrant("The authorization code has expired.");
        }
        if (!c.redirectUri().equals(form.get("redirect_uri"))) {
            throw OAuthError.invalidGrant("redirect_uri differs from the one of the authorization request.");
        }
        if (!VERIFIER.matcher(verifier).matches() || !MessageDigest.isEqual(
                s256(verifier).getBytes(StandardCharsets.US_ASCII), c.challenge().getBytes(StandardCharsets.US_ASCII))) {
            throw OAuthError.invalidGrant("code_verifier does not match the code_challenge (PKCE S256).");
        }
        TokenResponse tokens;
        try {
            tokens = sessions.startSession(c.userId(), client.id(), c.scope(), client.accessTokenTtl(), client.refreshTokenTtl());
        } catch (ProblemException e) {
            throw OAuthError.invalidGrant(e.getMessage());
        }
        String family = AccessTokens.sessionOf(tokens.accessToken());
        jdbc.transaction(conn -> Jdbc.update(conn, "UPDATE oauth_codes SET family_id = ? WHERE code_hash = ?", family, hash));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", tokens.accessToken());
        answer.put("token_type", "Bearer");
        answer.put("expires_in", tokens.expiresIn());
        if (client.allows("refresh_token") || c.scope().contains("offline_access")) {
            answer.put("refresh_token", tokens.refreshToken());
        }
        if (!c.scope().isEmpty()) {
            answer.put("scope", c.scope());
        }
        Set<String> scopes = Set.of(c.scope().split(" "));
        if (scopes.contains("openid")) {
            JWTClaimsSet.Builder id = new JWTClaimsSet.Builder()
                    .issuer(accessTokens.issuer()).subject(c.userId()).audience(client.id())
                    .issueTime(Date.from(Instant.now())).expirationTime(Date.from(Instant.now().plus(client.accessTokenTtl())))
                    .claim("auth_time", c.authTime().getEpochSecond())
                    .claim("azp", client.id())
                    .claim(AccessTokens.SESSION_CLAIM, family);
            if (c.nonce() != null) {
                id.claim("nonce", c.nonce());
            }
            if (scopes.contains("email")) {
                id.claim("email", tokens.user().email()).claim("email_verified", tokens.user().emailVerified());
            }
            if (scopes.contains("profile")) {
                id.claim("name", tokens.user().name());
            }
            answer.put("id_token", accessTokens.sign(id.build(), JOSEObjectType.JWT, client.accessTokenTtl()).token());
        }
        return answer;
    }

    static String s256(String verifier) {
        try {
            return java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * OpenID Connect RP-Initiated Logout: {@code id_token_hint} (one of ours, expired or not) names the session,
     * which is revoked; {@code post_logout_redirect_uri} must be a registered redirect URI of the token's client.
     */
    void endSession(ServerRequest req, ServerResponse res) {
        Optional<String> hint = req.query().first("id_token_hint").asOptional();
        if (hint.isEmpty()) {
            SignInPage.signedOut(res);
            return;
        }
        JWTClaimsSet claims;
        try {
            SignedJWT jwt = SignedJWT.parse(hint.get());
            JWK key = keys.publicKeys().getKeyByKeyId(jwt.getHeader().getKeyID());
            if (!(key instanceof ECKey ec) || !jwt.verify(new ECDSAVerifier(ec))
                || !accessTokens.issuer().equals(jwt.getJWTClaimsSet().getIssuer())) {
                SignInPage.error(res, "id_token_hint is not an ID token of this issuer.");
                return;
            }
            claims = jwt.getJWTClaimsSet();
        } catch (Exception e) {
            SignInPage.error(res, "id_token_hint is not an ID token of this issuer.");
            return;
        }
        Object sid = claims.getClaim(AccessTokens.SESSION_CLAIM);
        if (sid instanceof String family) {
            sessions.revokeFamily(family);
        }
        Optional<String> after = req.query().first("post_logout_redirect_uri").asOptional();
        Optional<OAuthClient> client = claims.getAudience().isEmpty() ? Optional.empty() : clients.find(claims.getAudience().getFirst());
        if (after.isPresent() && client.isPresent() && client.get().redirectUris().contains(after.get())) {
            Map<String, String> query = new LinkedHashMap<>();
            req.query().first("state").asOptional().ifPresent(s -> query.put("state", s));
            if (query.isEmpty()) {
                res.status(Status.SEE_OTHER_303).header(HeaderNames.LOCATION, after.get()).send();
            } else {
                redirect(res, after.get(), query);
            }
            return;
        }
        SignInPage.signedOut(res);
    }
}
