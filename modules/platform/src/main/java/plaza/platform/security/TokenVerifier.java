package plaza.platform.security;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Validation;

/**
 * Verifies Plaza access tokens locally: an ES256 or RS256 signature by a key from auth's JWKS
 * (looked up by {@code kid}), {@code exp}, {@code nbf}, {@code iss} and {@code aud}. {@code alg:
 * none}, HMAC algorithms and unknown keys are refused. The JWKS comes from a URL
 * ({@code plaza.jwt.jwks-uri}, cached and refreshed every {@code plaza.jwt.refresh}, default
 * PT5M, and at once when a token names an unknown {@code kid}) or a file
 * ({@code plaza.jwt.jwks-file}, re-read when it changes), so keys rotate without restarts. A token that
 * verified is remembered (exact string) until it expires, for at most {@code plaza.jwt.cache-ttl} (PT60S;
 * {@code cache-size} 10000 tokens, 0 turns it off), so a client reusing its token does not pay an ECDSA
 * verification on every request.
 */
public final class TokenVerifier {

    /** Request-context key under which the verified caller is stored. */
    private static final Class<Caller> CALLER = Caller.class;
    /** auth's {@code iss} when nothing is configured: standalone's base URL. */
    public static final String DEFAULT_ISSUER = "http://localhost:8080";
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256);

    private final DefaultJWTProcessor<SecurityContext> processor;
    /** Tokens verified recently (exact string → caller): an ECDSA verification costs far more than the request it guards. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final int cacheSize;
    private final long cacheTtlMillis;

    private record Verified(Caller caller, long validUntilMillis) {
    }

    /**
     * Where the caller's facts sit in a token: dotted paths for user id, roles, name, email and email_verified
     * ({@code realm_access.roles} for Keycloak, {@code cognito:groups} for Cognito, {@code roles} for Entra ID and
     * Plaza), plus roles every verified caller gets (e.g. {@code user} for an external issuer whose users have none).
     */
    public record ClaimMapping(String userId, String roles, String name, String email, String emailVerified, Set<String> defaultRoles) {
        /** Plaza auth's own tokens. */
        public static final ClaimMapping PLAZA = new ClaimMapping("sub", "roles", "name", "email", "email_verified", Set.of());

        static ClaimMapping fromConfig(Config claims, Set<String> defaultRoles) {
            return new ClaimMapping(claims.get("user-id").asString().orElse("sub"), claims.get("roles").asString().orElse("roles"),
                                    claims.get("name").asString().orElse("name"), claims.get("email").asString().orElse("email"),
                                    claims.get("email-verified").asString().orElse("email_verified"), defaultRoles);
        }
    }

    private final ClaimMapping mapping;
    private final String audience;
    /** Accepted {@code client_id}s (or {@code aud}s) besides the audience: Cognito access tokens carry no aud. */
    private final Set<String> clientIds;

    private TokenVerifier(JWKSource<SecurityContext> keys, String issuer, String audience, Duration clockSkew) {
        this(keys, issuer, audience, clockSkew, 10_000, Duration.ofSeconds(60), ClaimMapping.PLAZA, Set.of());
    }

    private TokenVerifier(JWKSource<SecurityContext> keys, String issuer, String audience, Duration clockSkew,
                          int cacheSize, Duration cacheTtl, ClaimMapping mapping, Set<String> clientIds) {
        this.mapping = mapping;
        this.audience = audience;
        this.clientIds = clientIds;
        this.cacheSize = cacheSize;
        this.cacheTtlMillis = cacheTtl.toMillis();
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        // Login tokens say typ JWT, OAuth-issued ones at+jwt (RFC 9068 §2.1); some issuers send no typ at all.
        processor.setJWSTypeVerifier(new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(
                com.nimbusds.jose.JOSEObjectType.JWT, new com.nimbusds.jose.JOSEObjectType("at+jwt"), null));
        // aud is checked in verifyFully when client ids are accepted too (a token may then have no aud at all).
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                clientIds.isEmpty() ? audience : null,
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("sub", "exp", "iat"));
        claims.setMaxClockSkew((int) clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** A verifier over any key source (standalone hands auth's own key set in directly). */
    public static TokenVerifier create(JWKSource<SecurityContext> keys, String issuer, String audience) {
        return new TokenVerifier(keys, issuer, audience, Duration.ofSeconds(30));
    }

    /** A verifier from {@code plaza.jwt.*}: {@code jwks-uri} or {@code jwks-file}, {@code issuer}, {@code audience}. */
    public static TokenVerifier fromConfig(Config jwt) {
        String issuer = jwt.get("issuer").asString().asOptional().filter(s -> !s.isBlank()).orElse(DEFAULT_ISSUER);
        String audience = jwt.get("audience").asString().orElse("plaza");
        Duration refresh = jwt.get("refresh").as(Duration.class).orElse(Duration.ofMinutes(5));
        Duration skew = jwt.get("clock-skew").as(Duration.class).orElse(Duration.ofSeconds(30));
        int cacheSize = jwt.get("cache-size").asInt().orElse(10_000);
        Duration cacheTtl = jwt.get("cache-ttl").as(Duration.class).orElse(Duration.ofSeconds(60));
        Optional<String> uri = jwt.get("jwks-uri").asString().asOptional().filter(s -> !s.isBlank());
        if (uri.isEmpty() && jwt.get("discovery").asBoolean().orElse(false)) {
            uri = Optional.of(discoverJwksUri(issuer)); // an external IdP: Keycloak, Cognito, Entra ID, …
        }
        Optional<String> file = jwt.get("jwks-file").asString().asOptional().filter(s -> !s.isBlank());
        JWKSource<SecurityContext> keys;
        if (uri.isPresent()) {
            try {
                keys = JWKSourceBuilder.create(URI.create(uri.get()).toURL())
                        .cache(refresh.toMillis(), 15_000)
                        .refreshAheadCache(true)
                        .rateLimited(10_000)
                        .retrying(true)
                        .build();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("plaza.jwt.jwks-uri is not a URL: " + uri.get(), e);
            }
        } else if (file.isPresent()) {
            keys = new JwksFile(Path.of(file.get()));
        } else {
            throw new IllegalStateException("Set plaza.jwt.jwks-uri (env PLAZA_JWT_JWKS_URI), plaza.jwt.jwks-file, or "
                                            + "plaza.jwt.discovery=true with plaza.jwt.issuer to verify access tokens");
        }
        Set<String> clientIds = Set.copyOf(words(jwt.get("client-ids")));
        Set<String> defaultRoles = Set.copyOf(words(jwt.get("default-roles")));
        return new TokenVerifier(keys, issuer, audience, skew, cacheSize, cacheTtl,
                                 ClaimMapping.fromConfig(jwt.get("claims"), defaultRoles), clientIds);
    }

    /** A list setting: a YAML list, or one string separated by commas or spaces (an env var). */
    private static List<String> words(Config node) {
        List<String> raw = node.asList(String.class).orElseGet(() -> node.asString().map(List::of).orElse(List.of()));
        return raw.stream().flatMap(s -> java.util.Arrays.stream(s.split("[,\\s]+"))).filter(s -> !s.isBlank()).toList();
    }

    /** {@code jwks_uri} from the issuer's OpenID Connect discovery document ({@code <issuer>/.well-known/openid-configuration}). */
    static String discoverJwksUri(String issuer) {
        URI uri = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build()) {
            var response = http.send(java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                                     java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("OIDC discovery at " + uri + " answered HTTP " + response.statusCode());
            }
            Map<String, Object> doc = com.nimbusds.jose.util.JSONObjectUtils.parse(response.body());
            if (!issuer.replaceAll("/+$", "").equals(String.valueOf(doc.get("issuer")).replaceAll("/+$", ""))) {
                throw new IllegalStateException("OIDC discovery at " + uri + " names issuer " + doc.get("issuer") + ", not " + issuer);
            }
            Object jwks = doc.get("jwks_uri");
            if (!(jwks instanceof String s) || s.isBlank()) {
                throw new IllegalStateException("OIDC discovery at " + uri + " has no jwks_uri");
            }
            return s;
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("Cannot read OIDC discovery at " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted reading OIDC discovery at " + uri, e);
        }
    }

    /** Verifies a raw token; throws a 401 problem saying why it was refused. */
    public Caller verify(String token) {
        long now = System.currentTimeMillis();
        Verified hit = cacheSize > 0 ? verified.get(token) : null;
        if (hit != null) {
            if (now < hit.validUntilMillis()) {
                return hit.caller();
            }
            verified.remove(token);
        }
        Caller caller = verifyFully(token);
        if (cacheSize > 0 && token.length() <= 8192) {
            if (verified.size() >= cacheSize) {
                verified.entrySet().removeIf(e -> e.getValue().validUntilMillis() <= now);
                if (verified.size() >= cacheSize) {
                    verified.clear();
                }
            }
            verified.put(token, new Verified(caller, Math.min(now + cacheTtlMillis, expiryMillis(token))));
        }
        return caller;
    }

    private static long expiryMillis(String token) {
        try {
            java.util.Date exp = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime();
            return exp == null ? 0 : exp.getTime();
        } catch (ParseException e) {
            return 0;
        }
    }

    private Caller verifyFully(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            if (!clientIds.isEmpty()) {
                List<String> aud = claims.getAudience();
                Object clientId = claims.getClaim("client_id");
                boolean accepted = aud.contains(audience) || aud.stream().anyMatch(clientIds::contains)
                                   || (clientId instanceof String id && clientIds.contains(id));
                if (!accepted) {
                    throw ProblemException.unauthorized("The access token was refused: it was issued for another audience.");
                }
            }
            Set<String> roles = new HashSet<>(mapping.defaultRoles());
            Object rawRoles = claim(claims, mapping.roles());
            if (rawRoles instanceof List<?> list) {
                list.forEach(r -> roles.add(String.valueOf(r)));
            } else if (rawRoles instanceof String one && !one.isBlank()) {
                roles.add(one);
            }
            String id = text(claims, mapping.userId());
            String email = text(claims, mapping.email());
            String name = text(claims, mapping.name());
            Object verified = claim(claims, mapping.emailVerified());
            if (id == null || id.isBlank()) {
                throw ProblemException.unauthorized("The access token was refused: it has no " + mapping.userId() + " claim for the user id.");
            }
            // A signed token is still client text: a NUL in sub would reach PostgreSQL as a user id.
            Map<String, String> checked = new java.util.LinkedHashMap<>();
            checked.put(mapping.userId(), id);
            checked.put(mapping.email(), email);
            checked.put(mapping.name(), name);
            for (var e : checked.entrySet()) {
                if (e.getValue() != null && Validation.textProblem(e.getValue()) != null) {
                    throw ProblemException.unauthorized("The access token was refused: its " + e.getKey() + " claim "
                                                        + Validation.textProblem(e.getValue()) + ".");
                }
            }
            for (String role : roles) {
                if (Validation.textProblem(role) != null) {
                    throw ProblemException.unauthorized("The access token was refused: a role " + Validation.textProblem(role) + ".");
                }
            }
            return new Caller(id, email, name, Set.copyOf(roles), Boolean.TRUE.equals(verified) || "true".equals(verified), token,
                              claims.getExpirationTime().toInstant());
        } catch (ParseException e) {
            throw ProblemException.unauthorized("The access token is not a well-formed JWT.");
        } catch (BadJOSEException e) {
            throw ProblemException.unauthorized("The access token was refused: " + reason(e));
        } catch (JOSEException e) {
            throw ProblemException.unauthorized("The access token could not be verified.");
        }
    }

    /** The value at a dotted path ({@code realm_access.roles}); a claim whose own name has a dot is found too. */
    private static Object claim(JWTClaimsSet claims, String path) {
        Object direct = claims.getClaim(path);
        if (direct != null || !path.contains(".")) {
            return direct;
        }
        Object node = claims.getClaims();
        for (String part : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    private static String text(JWTClaimsSet claims, String path) {
        Object value = claim(claims, path);
        return value instanceof String s ? s : value instanceof Number || value instanceof Boolean ? String.valueOf(value) : null;
    }

    /** The caller of this request, verified once and kept in the request context; 401 without a valid token. */
    public Caller caller(ServerRequest req) {
        Optional<Caller> known = req.context().get(CALLER, CALLER);
        if (known.isPresent()) {
            return known.get();
        }
        String header = req.headers().first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> ProblemException.unauthorized("Sign in: send 'Authorization: Bearer <access token>'."));
        if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ProblemException.unauthorized("The Authorization header must be 'Bearer <access token>'.");
        }
        Caller caller = verify(header.substring(7).trim());
        req.context().register(CALLER, caller);
        return caller;
    }

    /** The caller if the request carries a token, empty if it carries none; a bad token is still a 401. */
    public Optional<Caller> optionalCaller(ServerRequest req) {
        if (req.headers().first(HeaderNames.AUTHORIZATION).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(caller(req));
    }

    /** Wraps a handler so it only runs for a signed-in caller. */
    public Handler authenticated(Handler handler) {
        return (req, res) -> {
            caller(req);
            handler.handle(req, res);
        };
    }

    /** Wraps a handler so it only runs for a caller with {@code role} (401 without a token, 403 without the role). */
    public Handler requireRole(String role, Handler handler) {
        return (req, res) -> {
            caller(req).requireRole(role);
            handler.handle(req, res);
        };
    }

    /** Wraps a handler so it only runs for a service (a client-credentials token, role {@code service}): 403 for a user. */
    public Handler requireService(Handler handler) {
        return (req, res) -> {
            if (!caller(req).isService()) {
                throw ProblemException.forbidden("This is for services only: use a client-credentials token.");
            }
            handler.handle(req, res);
        };
    }

    private static String reason(BadJOSEException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Expired")) {
            return "it has expired.";
        }
        if (message.contains("before use time") || message.contains("nbf")) {
            return "it is not valid yet.";
        }
        if (message.contains("audience") || message.contains("aud")) {
            return "it was issued for another audience.";
        }
        if (message.contains("iss")) {
            return "it was issued by someone else.";
        }
        if (message.contains("Signed JWT rejected") || message.contains("signature")) {
            return "its signature does not match a known key.";
        }
        if (message.contains("JWS algorithm") || message.contains("Unsecured") || message.contains("alg")) {
            return "its algorithm is not accepted (ES256 or RS256 only).";
        }
        return "it is invalid.";
    }

    /** A JWKS file re-read whenever its modification time changes (a mounted Secret being rotated). */
    private static final class JwksFile implements JWKSource<SecurityContext> {
        private final Path path;
        private volatile JWKSet keys;
        private volatile long modified = -1;

        JwksFile(Path path) {
            this.path = path;
        }

        @Override
        public List<com.nimbusds.jose.jwk.JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
            try {
                long now = Files.getLastModifiedTime(path).toMillis();
                if (now != modified || keys == null) {
                    keys = JWKSet.parse(Files.readString(path));
                    modified = now;
                }
            } catch (IOException | ParseException e) {
                if (keys == null) {
                    throw new KeySourceException("Cannot read JWKS file " + path + ": " + e.getMessage(), e);
                }
            }
            return selector.select(keys);
        }
    }
}
