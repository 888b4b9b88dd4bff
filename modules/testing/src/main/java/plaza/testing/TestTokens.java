package plaza.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import plaza.platform.security.TokenVerifier;

/**
 * Access tokens signed with a key the test generated, shaped like auth's (ES256, {@code iss}
 * {@link TokenVerifier#DEFAULT_ISSUER}, {@code aud} "plaza", roles, email, name), for testing services without running auth.
 */
public final class TestTokens {

    /** What auth signs with when {@code plaza.jwt.issuer} is not set, and what verifiers expect then. */
    public static final String ISSUER = TokenVerifier.DEFAULT_ISSUER;
    public static final String AUDIENCE = "plaza";
    private final ECKey key;

    private TestTokens(ECKey key) {
        this.key = key;
    }

    public static TestTokens create() {
        try {
            return new TestTokens(new ECKeyGenerator(Curve.P_256).keyID("test-" + UUID.randomUUID()).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A verifier that trusts exactly this key. */
    public TokenVerifier verifier() {
        return TokenVerifier.create(new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())), ISSUER, AUDIENCE);
    }

    /** The public JWKS as JSON (for a file- or URL-based verifier). */
    public String jwksJson() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** A valid 15-minute token for user {@code id} with the given roles. */
    public String token(String id, String... roles) {
        return sign(claims(id, roles).build());
    }

    /** A valid token for user {@code id} that expires {@code lifetime} from now (second precision, as JWT has it). */
    public String tokenExpiringIn(String id, Duration lifetime) {
        return sign(claims(id).expirationTime(Date.from(Instant.now().plus(lifetime))).build());
    }

    /** Claims as auth would issue them, to adjust before {@link #sign}. */
    public JWTClaimsSet.Builder claims(String id, String... roles) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(id)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(15))))
                .claim("email", id + "@example.com")
                .claim("name", "User " + id)
                .claim("email_verified", true)
                .claim("roles", List.of(roles));
    }

    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public ECKey key() {
        return key;
    }
}
