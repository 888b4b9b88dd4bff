package plaza.auth.oauth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.auth.sessions.Sessions;
import plaza.auth.sessions.TokenResponse;
import plaza.auth.tokens.AccessTokens;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /auth/oauth/*}: the RFC 6749 token endpoint ({@code client_credentials} and {@code refresh_token}
 * grants; form-encoded in, JSON out, errors as §5.2 JSON, {@code Cache-Control: no-store}) and the admin API
 * for OAuth clients ({@code /auth/oauth/clients}, problem+json like the rest of Plaza).
 */
public final class OAuthResource implements HttpService {

    private static final int MAX_FORM_BYTES = 64 * 1024;

    private final OAuthClients clients;
    private final AccessTokens accessTokens;
    private final Sessions sessions;
    private final TokenVerifier tokens;
    private final CodeFlow codeFlow;

    public OAuthResource(OAuthClients clients, AccessTokens accessTokens, Sessions sessions, TokenVerifier tokens,
                         plaza.auth.tokens.SigningKeys keys, plaza.auth.store.Jdbc jdbc, Duration codeTtl) {
        this.codeFlow = new CodeFlow(clients, sessions, accessTokens, keys, jdbc, codeTtl);
        this.clients = clients;
        this.accessTokens = accessTokens;
        this.sessions = sessions;
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/token", this::token).any("/token", Problems.methodNotAllowed("POST"))
                .get("/authorize", codeFlow::authorizePage).post("/authorize", codeFlow::authorizeSubmit)
                .any("/authorize", Problems.methodNotAllowed("GET", "POST"))
                .get("/userinfo", this::userinfo).post("/userinfo", this::userinfo).any("/userinfo", Problems.methodNotAllowed("GET", "POST"))
                .post("/revoke", this::revoke).any("/revoke", Problems.methodNotAllowed("POST"))
                .post("/introspect", this::introspect).any("/introspect", Problems.methodNotAllowed("POST"))
                .get("/logout", codeFlow::endSession).any("/logout", Problems.methodNotAllowed("GET"))
                .get("/clients", this::listClients).post("/clients", this::registerClient)
                .any("/clients", Problems.methodNotAllowed("GET", "POST"))
                .delete("/clients/{id}", this::deleteClient).any("/clients/{id}", Problems.methodNotAllowed("DELETE"));
    }

    private void token(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.PRAGMA, "no-cache");
        try {
            Map<String, String> form = form(req);
            OAuthClient client = authenticate(req, form);
            String grant = form.get("grant_type");
            if (grant == null) {
                throw OAuthError.invalidRequest("grant_type is missing.");
            }
            Map<String, Object> answer = switch (grant) {
                case "client_credentials" -> clientCredentials(client, form);
                case "refresh_token" -> refresh(client, form);
                case "authorization_code" -> codeFlow.exchange(client, form);
                default -> throw new OAuthError("unsupported_grant_type", "grant_type '" + grant + "' is not supported here.");
            };
            Json.send(res, answer);
        } catch (OAuthError e) {
            if (e.status() == 401) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"plaza\"");
            }
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", e.error());
            body.put("error_description", e.getMessage());
            Json.send(res, Status.create(e.status()), body);
        }
    }

    /** Runs an RFC 6749-style endpoint: no-store, client errors as §5.2 JSON. */
    private void oauthEndpoint(ServerResponse res, java.util.function.Supplier<Map<String, Object>> work) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        try {
            Map<String, Object> answer = work.get();
            Json.send(res, answer);
        } catch (OAuthError e) {
            if (e.status() == 401) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"plaza\"");
            }
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", e.error());
            body.put("error_description", e.getMessage());
            Json.send(res, Status.create(e.status()), body);
        }
    }

    /** OpenID Connect Core §5.3: the signed-in user's claims, for an access token of a user. */
    private void userinfo(ServerRequest req, ServerResponse res) {
        var caller = tokens.caller(req);
        if (caller.isService()) {
            throw ProblemException.forbidden("A client-credentials token has no user: userinfo needs a user's access token.");
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("sub", caller.id());
        info.put("email", caller.email());
        info.put("email_verified", caller.emailVerified());
        info.put("name", caller.name());
        info.put("roles", caller.roles().stream().sorted().toList());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, info);
    }

    /**
     * RFC 7009: a refresh token's session is revoked; an access token (a JWT, verified locally everywhere) cannot be,
     * and expires by itself. An unknown or invalid token is answered 200 too (§2.2).
     */
    private void revoke(ServerRequest req, ServerResponse res) {
        oauthEndpoint(res, () -> {
            Map<String, String> form = form(req);
            authenticate(req, form);
            String token = form.get("token");
            if (token == null) {
                throw OAuthError.invalidRequest("token is missing.");
            }
            if (plaza.auth.store.Hashes.plausibleToken(token)) {
                sessions.logout(token, null, null);
            }
            return Map.of();
        });
    }

    /** RFC 7662, for confidential clients only: whether a token is active, and what it says. */
    private void introspect(ServerRequest req, ServerResponse res) {
        oauthEndpoint(res, () -> {
            Map<String, String> form = form(req);
            OAuthClient client = authenticate(req, form);
            if (!client.confidential()) {
                throw OAuthError.invalidClient("Introspection is for confidential clients.");
            }
            String token = form.get("token");
            if (token == null) {
                throw OAuthError.invalidRequest("token is missing.");
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            if (token.chars().filter(ch -> ch == '.').count() == 2) {
                try {
                    tokens.verify(token);
                    JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
                    answer.put("active", true);
                    answer.put("token_type", "Bearer");
                    for (String name : List.of("scope", "client_id", "sub", "iss", "jti")) {
                        if (claims.getClaim(name) != null) {
                            answer.put(name, claims.getClaim(name).toString());
                        }
                    }
                    answer.put("aud", claims.getAudience());
                    answer.put("exp", claims.getExpirationTime().toInstant().getEpochSecond());
                    answer.put("iat", claims.getIssueTime().toInstant().getEpochSecond());
                    if (claims.getClaim("email") != null) {
                        answer.put("username", claims.getClaim("email").toString());
                    }
                    return answer;
                } catch (ProblemException | java.text.ParseException e) {
                    return Map.of("active", false);
                }
            }
            if (plaza.auth.store.Hashes.plausibleToken(token)) {
                var stored = sessions.activeRefreshToken(token);
                if (stored.isPresent()) {
                    answer.put("active", true);
                    answer.put("token_type", "refresh_token");
                    answer.put("sub", stored.get().userId());
                    answer.put("exp", stored.get().expiresAt().getEpochSecond());
                    answer.put("iat", stored.get().createdAt().getEpochSecond());
                    return answer;
                }
            }
            return Map.of("active", false);
        });
    }

    private Map<String, Object> clientCredentials(OAuthClient client, Map<String, String> form) {
        if (!client.confidential() || !client.allows("client_credentials")) {
            throw OAuthError.unauthorizedClient("This client may not use client_credentials.");
        }
        String scope = grantedScope(client, form.get("scope"));
        AccessTokens.Issued issued = accessTokens.issueForClient(client.id(), scope, client.accessTokenTtl());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", issued.token());
        answer.put("token_type", "Bearer");
        answer.put("expires_in", issued.expiresInSeconds());
        if (!scope.isEmpty()) {
            answer.put("scope", scope);
        }
        return answer;
    }

    private Map<String, Object> refresh(OAuthClient client, Map<String, String> form) {
        if (!client.allows("refresh_token")) {
            throw OAuthError.unauthorizedClient("This client may not use refresh_token.");
        }
        String refreshToken = form.get("refresh_token");
        if (refreshToken == null || refreshToken.isEmpty()) {
            throw OAuthError.invalidRequest("refresh_token is missing.");
        }
        TokenResponse refreshed;
        try {
            refreshed = sessions.refresh(refreshToken, client.id(), client.accessTokenTtl(), client.refreshTokenTtl());
        } catch (ProblemException e) {
            throw OAuthError.invalidGrant(e.getMessage());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", refreshed.accessToken());
        answer.put("token_type", "Bearer");
        answer.put("expires_in", refreshed.expiresIn());
        answer.put("refresh_token", refreshed.refreshToken());
        return answer;
    }

    /** RFC 6749 §3.3: the requested scopes, all of which the client must have; none requested → all of the client's. */
    static String grantedScope(OAuthClient client, String requested) {
        if (requested == null || requested.isBlank()) {
            return String.join(" ", client.scopes().stream().sorted().toList());
        }
        Set<String> asked = new LinkedHashSet<>(List.of(requested.trim().split(" +")));
        for (String scope : asked) {
            if (!OAuthClients.SCOPE_TOKEN.matcher(scope).matches() || !client.scopes().contains(scope)) {
                throw OAuthError.invalidScope("Scope '" + scope + "' is not granted to this client.");
            }
        }
        return String.join(" ", asked);
    }

    /** RFC 6749 §2.3.1: HTTP Basic (client_secret_basic) or client_id/client_secret in the body, never both. */
    private OAuthClient authenticate(ServerRequest req, Map<String, String> form) {
        var header = req.headers().first(HeaderNames.AUTHORIZATION);
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (header.isPresent()) {
            String value = header.get();
            if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw OAuthError.invalidClient("Authenticate the client with HTTP Basic or client_id/client_secret.");
            }
            if (secret != null) {
                throw OAuthError.invalidRequest("Use one client authentication method, not HTTP Basic and client_secret together.");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidClient("The Basic credentials are not Base64.");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw OAuthError.invalidClient("The Basic credentials must be client_id:client_secret.");
            }
            // §2.3.1: both parts are form-urlencoded before Basic encoding.
            String basicId = decode(decoded.substring(0, colon));
            if (id != null && !id.equals(basicId)) {
                throw OAuthError.invalidRequest("client_id in the body differs from the authenticated client.");
            }
            return clients.authenticate(basicId, decode(decoded.substring(colon + 1)));
        }
        if (id == null) {
            throw OAuthError.invalidClient("Client authentication failed: send client_id (and client_secret for a confidential client).");
        }
        return clients.authenticate(id, secret);
    }

    /** An application/x-www-form-urlencoded body; each parameter at most once (RFC 6749 §3.2). */
    static Map<String, String> form(ServerRequest req) {
        String type = req.headers().contentType().map(t -> t.mediaType().text()).orElse("");
        if (!"application/x-www-form-urlencoded".equalsIgnoreCase(type)) {
            throw OAuthError.invalidRequest("Send the parameters as application/x-www-form-urlencoded (RFC 6749 §4).");
        }
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes(MAX_FORM_BYTES + 1);
        } catch (IOException e) {
            throw OAuthError.invalidRequest("The request body could not be read.");
        }
        if (body.length > MAX_FORM_BYTES) {
            throw OAuthError.invalidRequest("The request body is larger than 64 KiB.");
        }
        Map<String, String> form = new HashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (value.isEmpty()) {
                continue; // §3.1: parameters sent without a value are treated as omitted
            }
            if (form.put(name, value) != null) {
                throw OAuthError.invalidRequest("Parameter '" + name + "' is included more than once.");
            }
        }
        return form;
    }

    private static String decode(String s) {
        try {
            String decoded = URLDecoder.decode(s, StandardCharsets.UTF_8);
            if (decoded.indexOf('\u0000') >= 0 || decoded.indexOf('\uFFFD') >= 0) {
                throw OAuthError.invalidRequest("A parameter holds a NUL character or bytes that are not UTF-8.");
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("The form body has a malformed %-escape.");
        }
    }

    // ---- admin API for clients ----

    record NewClient(String name, Boolean confidential, @JsonProperty("first_party") Boolean firstParty,
                     @JsonProperty("redirect_uris") List<String> redirectUris, List<String> scopes,
                     @JsonProperty("grant_types") List<String> grantTypes,
                     @JsonProperty("access_token_ttl") Long accessTokenTtl, @JsonProperty("refresh_token_ttl") Long refreshTokenTtl) {
    }

    private void registerClient(ServerRequest req, ServerResponse res) {
        tokens.caller(req).requireRole("admin");
        NewClient body = Json.read(req, NewClient.class);
        OAuthClients.Registered registered = clients.register(body.name(), body.confidential() == null || body.confidential(),
                                                              Boolean.TRUE.equals(body.firstParty()), body.redirectUris(), body.scopes(),
                                                              body.grantTypes(), seconds(body.accessTokenTtl()),
                                                              seconds(body.refreshTokenTtl()));
        Map<String, Object> view = view(registered.client());
        if (registered.secret() != null) {
            view.put("client_secret", registered.secret()); // shown this once; only its hash is kept
        }
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, Status.CREATED_201, view);
    }

    private void listClients(ServerRequest req, ServerResponse res) {
        tokens.caller(req).requireRole("admin");
        Json.send(res, Map.of("items", clients.list().stream().map(OAuthResource::view).toList()));
    }

    private void deleteClient(ServerRequest req, ServerResponse res) {
        tokens.caller(req).requireRole("admin");
        if (!clients.delete(req.path().pathParameters().get("id"))) {
            throw ProblemException.notFound("No registered OAuth client has this id.");
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static Duration seconds(Long value) {
        return value == null ? null : Duration.ofSeconds(value);
    }

    static Map<String, Object> view(OAuthClient c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("client_id", c.id());
        view.put("name", c.name());
        view.put("confidential", c.confidential());
        view.put("first_party", c.firstParty());
        view.put("redirect_uris", c.redirectUris());
        view.put("scopes", c.scopes().stream().sorted().toList());
        view.put("grant_types", c.grantTypes().stream().sorted().toList());
        view.put("access_token_ttl", c.accessTokenTtl().toSeconds());
        view.put("refresh_token_ttl", c.refreshTokenTtl().toSeconds());
        view.put("from_config", c.fromConfig());
        return view;
    }
}
