package plaza.auth.tokens;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.config.Config;
import plaza.auth.accounts.User;
import plaza.platform.security.Caller;

/**
 * Signs access tokens: ES256 JWTs with {@code iss} ({@code plaza.jwt.issuer}, else {@code auth.public-url}), {@code aud}
 * ({@code plaza.jwt.audience}, "plaza"), {@code sub} (user id), {@code exp}, {@code iat}, {@code nbf},
 * {@code jti}, {@code roles}, {@code email}, {@code name}, {@code email_verified} and {@code sid} (the
 * session, i.e. the refresh-token family). Lifetime {@code auth.access-token-ttl} (PT15M).
 */
public final class AccessTokens {

    public static final String SESSION_CLAIM = "sid";

    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration ttl;
    private final Map<String, ECDSASigner> signers = new ConcurrentHashMap<>();

    public AccessTokens(SigningKeys keys, String issuer, String audience, Duration ttl) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.ttl = ttl;
    }

    public static AccessTokens create(SigningKeys keys, Config root) {
        return new AccessTokens(keys,
                                plaza.auth.AuthService.issuer(root),
                                root.get("plaza.jwt.audience").asString().orElse("plaza"),
                                root.get("auth.access-token-ttl").as(Duration.class).orElse(Duration.ofMinutes(15)));
    }

    /** A signed token. */
    public record Issued(String token, long expiresInSeconds) {
    }

    /** RFC 9068's media type for JWT access tokens issued through the OAuth endpoints. */
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    /** The role of a client-credentials token: a service acting for itself, never a user. */
    public static final String SERVICE_ROLE = "service";

    /** A user's token as the JSON login issues it ({@code typ: JWT}, seed 001's shape). */
    public Issued issue(User user, String sessionId) {
        return issue(user, sessionId, null, null, ttl);
    }

    /**
     * A user's token issued to OAuth client {@code clientId}: RFC 9068 ({@code typ: at+jwt}, {@code client_id},
     * {@code scope}), with the same user claims as a login token, living {@code lifetime}.
     */
    public Issued issue(User user, String sessionId, String clientId, String scope, Duration lifetime) {
        JWTClaimsSet.Builder claims = base(user.id(), lifetime)
                .claim("roles", List.copyOf(user.roles()))
                .claim("email", user.email())
                .claim("name", user.name())
                .claim("email_verified", user.emailVerified())
                .claim(SESSION_CLAIM, sessionId);
        if (clientId != null) {
            claims.claim("client_id", clientId);
            if (scope != null && !scope.isEmpty()) {
                claims.claim("scope", scope);
            }
        }
        return sign(claims.build(), clientId != null ? AT_JWT : JOSEObjectType.JWT, lifetime);
    }

    /** A client-credentials token (RFC 9068 §2.2: {@code sub} is the client), role {@code service}. */
    public Issued issueForClient(String clientId, String scope, Duration lifetime) {
        JWTClaimsSet.Builder claims = base(clientId, lifetime)
                .claim("client_id", clientId)
                .claim("roles", List.of(SERVICE_ROLE));
        if (scope != null && !scope.isEmpty()) {
            claims.claim("scope", scope);
        }
        return sign(claims.build(), AT_JWT, lifetime);
    }

    private JWTClaimsSet.Builder base(String subject, Duration lifetime) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** Signs any claims with the current signing key (ID tokens too). */
    public Issued sign(JWTClaimsSet claims, JOSEObjectType type, Duration lifetime) {
        ECKey key = keys.signingKey();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                                                  .type(type)
                                                  .keyID(key.getKeyID())
                                                  .build(), claims);
            jwt.sign(signers.computeIfAbsent(key.getKeyID(), kid -> signer(key)));
            return new Issued(jwt.serialize(), lifetime.toSeconds());
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a token: " + e.getMessage(), e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public long ttlSeconds() {
        return ttl.toSeconds();
    }

    /** The session id ({@code sid}) of a token this service just signed. */
    public static String sessionOf(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getStringClaim(SESSION_CLAIM);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The session id of an already verified caller's token. */
    public static Optional<String> sessionOf(Caller caller) {
        try {
            return Optional.ofNullable(SignedJWT.parse(caller.token()).getJWTClaimsSet().getStringClaim(SESSION_CLAIM));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    private static ECDSASigner signer(ECKey key) {
        try {
            return new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
