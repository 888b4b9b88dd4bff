package plaza.platform.security;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.helidon.config.Config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;
import plaza.platform.http.ProblemException;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Token verification with keys generated here: what must pass and every way a token must fail. */
class TokenVerifierTest {

    private static ECKey key;
    private static TokenVerifier verifier;

    @BeforeAll
    static void keys() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        verifier = TokenVerifier.create(new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())), "plaza", "plaza");
    }

    static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer("plaza").audience("plaza").subject("u-1")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(900)))
                .claim("email", "a@example.com").claim("name", "Ann").claim("roles", List.of("user", "admin"))
                .claim("email_verified", true);
    }

    static String es256(ECKey signingKey, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(signingKey));
        return jwt.serialize();
    }

    private static void refused(String token, String why) {
        ProblemException e = assertThrows(ProblemException.class, () -> verifier.verify(token));
        assertThat(e.status().code(), is(401));
        assertThat(e.getMessage(), containsString(why));
    }

    @Test
    void goodTokenGivesTheCaller() throws Exception {
        Caller caller = verifier.verify(es256(key, claims().build()));
        assertThat(caller.id(), is("u-1"));
        assertThat(caller.email(), is("a@example.com"));
        assertThat(caller.hasRole("admin"), is(true));
        assertThat(caller.emailVerified(), is(true));
    }

    @Test
    void validlySignedClaimsWithNulOrControlsAreRefused() throws Exception {
        // Before: a NUL in sub verified, then failed as a 500 where PostgreSQL met the user id.
        refused(es256(key, claims().subject("u-1\u0000").build()), "sub claim must not contain NUL");
        refused(es256(key, claims().subject("u\u001b[2J").build()), "sub claim must not contain the control character U+001B");
        refused(es256(key, claims().claim("name", "A\u0000nn").build()), "name claim");
        refused(es256(key, claims().claim("email", "a\u0000@example.com").build()), "email claim");
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        refused(es256(key, claims().expirationTime(Date.from(Instant.now().minusSeconds(120))).build()), "expired");
    }

    @Test
    void notYetValidTokenIsRefused() throws Exception {
        refused(es256(key, claims().notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build()), "not valid yet");
    }

    @Test
    void wrongIssuerIsRefused() throws Exception {
        refused(es256(key, claims().issuer("someone-else").build()), "refused");
    }

    @Test
    void wrongAudienceIsRefused() throws Exception {
        refused(es256(key, claims().audience("another-app").build()), "refused");
    }

    @Test
    void tamperedPayloadIsRefused() throws Exception {
        String[] parts = es256(key, claims().build()).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"u-1\"", "\"u-2\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        refused(forged, "signature");
    }

    @Test
    void algNoneIsRefused() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"kid\":\"k1\"}".getBytes());
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"plaza\",\"aud\":\"plaza\",\"sub\":\"u-1\",\"exp\":" + (Instant.now().getEpochSecond() + 600)
                 + ",\"iat\":" + Instant.now().getEpochSecond() + "}").getBytes());
        ProblemException e = assertThrows(ProblemException.class, () -> verifier.verify(header + "." + payload + "."));
        assertThat(e.status().code(), is(401));
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() throws Exception {
        // The classic key-confusion attack: HMAC keyed with the bytes of the published public key.
        byte[] secret = key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
        jwt.sign(new MACSigner(secret));
        refused(jwt.serialize(), "refused");
    }

    @Test
    void unknownKidIsRefused() throws Exception {
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("k-unknown").generate();
        refused(es256(stranger, claims().build()), "refused");
    }

    @Test
    void knownKidWithAnotherKeysSignatureIsRefused() throws Exception {
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        refused(es256(impostor, claims().build()), "refused");
    }

    @Test
    void garbageIsRefused() {
        refused("not-a-jwt", "well-formed");
        refused("a.b.c", "");
    }

    @Test
    void rs256IsAccepted() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
        TokenVerifier rsaVerifier = TokenVerifier.create(new ImmutableJWKSet<>(new JWKSet(rsa.toPublicJWK())), "plaza", "plaza");
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("r1").build(), claims().build());
        jwt.sign(new RSASSASigner(rsa));
        assertThat(rsaVerifier.verify(jwt.serialize()).id(), is("u-1"));
    }

    @Test
    void jwksFromUrlPicksUpARotatedKeyWithoutRestart() throws Exception {
        AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(key.toPublicJWK()));
        HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks.json", exchange -> {
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        try {
            Config config = PlazaConfig.override(Config.empty(), Map.of(
                    "plaza.jwt.jwks-uri", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json"));
            TokenVerifier fromUrl = TokenVerifier.fromConfig(config.get("plaza.jwt"));
            assertThat(fromUrl.verify(es256(key, claims().build())).id(), is("u-1"));

            ECKey rotated = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
            published.set(new JWKSet(List.of(rotated.toPublicJWK(), key.toPublicJWK())));
            // An unknown kid makes the cache refetch (rate-limited), so the new key works at once.
            assertThat(fromUrl.verify(es256(rotated, claims().subject("u-2").build())).id(), is("u-2"));
            assertThat(fromUrl.verify(es256(key, claims().build())).id(), is("u-1"));
        } finally {
            jwks.stop(0);
        }
    }

    @Test
    void jwksFileIsReReadWhenItChanges() throws Exception {
        Path file = Files.createTempFile("jwks", ".json");
        Files.writeString(file, new JWKSet(key.toPublicJWK()).toString());
        Config config = PlazaConfig.override(Config.empty(), Map.of("plaza.jwt.jwks-file", file.toString()));
        TokenVerifier fromFile = TokenVerifier.fromConfig(config.get("plaza.jwt"));
        assertThat(fromFile.verify(es256(key, claims().build())).id(), is("u-1"));

        ECKey rotated = new ECKeyGenerator(Curve.P_256).keyID("k3").generate();
        Files.writeString(file, new JWKSet(rotated.toPublicJWK()).toString());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plus(Duration.ofSeconds(5))));
        assertThat(fromFile.verify(es256(rotated, claims().build())).id(), is("u-1"));
        ProblemException e = assertThrows(ProblemException.class, () -> fromFile.verify(es256(key, claims().build())));
        assertThat(e.status().code(), is(401));
    }

    @Test
    void rolesComeFromTheToken() throws Exception {
        Caller caller = verifier.verify(es256(key, claims().claim("roles", List.of("user")).build()));
        assertThat(caller.roles(), contains("user"));
        ProblemException e = assertThrows(ProblemException.class, () -> caller.requireRole("admin"));
        assertThat(e.status().code(), is(403));
    }
}
