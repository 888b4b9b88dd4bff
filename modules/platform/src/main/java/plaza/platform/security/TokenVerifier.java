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
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256);

    private final DefaultJWTProcessor<SecurityContext> processor;
    /** Tokens verified recently (exact string → caller): an ECDSA verification costs far more than the request it guards. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final int cacheSize;
    private final long cacheTtlMillis;

    private record Verified(Caller caller, long validUntilMillis) {
    }

    private TokenVerifier(JWKSource<SecurityContext> keys, String issuer, String audience, Duration clockSkew) {
        this(keys, issuer, audience, clockSkew, 10_000, Duration.ofSeconds(60));
    }

    private TokenVerifier(JWKSource<SecurityContext> keys, String issuer, String audience, Duration clockSkew,
                          int cacheSize, Duration cacheTtl) {
        this.cacheSize = cacheSize;
        this.cacheTtlMillis = cacheTtl.toMillis();
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                audience,
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
        String issuer = jwt.get("issuer").asString().orElse("plaza");
        String audience = jwt.get("audience").asString().orElse("plaza");
        Duration refresh = jwt.get("refresh").as(Duration.class).orElse(Duration.ofMinutes(5));
        Duration skew = jwt.get("clock-skew").as(Duration.class).orElse(Duration.ofSeconds(30));
        int cacheSize = jwt.get("cache-size").asInt().orElse(10_000);
        Duration cacheTtl = jwt.get("cache-ttl").as(Duration.class).orElse(Duration.ofSeconds(60));
        Optional<String> uri = jwt.get("jwks-uri").asString().asOptional().filter(s -> !s.isBlank());
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
            throw new IllegalStateException("Set plaza.jwt.jwks-uri (env PLAZA_JWT_JWKS_URI) or plaza.jwt.jwks-file to verify access tokens");
        }
        return new TokenVerifier(keys, issuer, audience, skew, cacheSize, cacheTtl);
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
            Set<String> roles = new HashSet<>();
            Object rawRoles = claims.getClaim("roles");
            if (rawRoles instanceof List<?> list) {
                list.forEach(r -> roles.add(String.valueOf(r)));
            }
            Boolean verified = claims.getBooleanClaim("email_verified");
            // A signed token is still client text: a NUL in sub would reach PostgreSQL as a user id.
            for (String claim : List.of("sub", "email", "name")) {
                String value = claims.getStringClaim(claim);
                if (value != null && Validation.textProblem(value) != null) {
                    throw ProblemException.unauthorized("The access token was refused: its " + claim + " claim "
                                                        + Validation.textProblem(value) + ".");
                }
            }
            return new Caller(claims.getSubject(), claims.getStringClaim("email"), claims.getStringClaim("name"),
                              Set.copyOf(roles), verified != null && verified, token, claims.getExpirationTime().toInstant());
        } catch (ParseException e) {
            throw ProblemException.unauthorized("The access token is not a well-formed JWT.");
        } catch (BadJOSEException e) {
            throw ProblemException.unauthorized("The access token was refused: " + reason(e));
        } catch (JOSEException e) {
            throw ProblemException.unauthorized("The access token could not be verified.");
        }
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
