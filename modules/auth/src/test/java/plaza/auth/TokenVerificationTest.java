package plaza.auth;

import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static plaza.auth.AuthFixture.get;

/**
 * Forged and broken access tokens on a protected route ({@code GET /users/me}): every one is a 401, while the
 * same claims properly signed pass.
 */
@ServerTest
class TokenVerificationTest {

    private final Http1Client client;
    private JsonNode session;
    private JWTClaimsSet valid;
    private ECKey key;
    private String kid;

    TokenVerificationTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        AuthFixture.setUp(server, AuthFixture.config(Map.of()));
    }

    @BeforeEach
    void signIn() throws Exception {
        session = AuthFixture.newSession(client, "jwt");
        SignedJWT issued = SignedJWT.parse(session.path("access_token").asText());
        valid = issued.getJWTClaimsSet();
        kid = issued.getHeader().getKeyID();
        var pair = AuthFixture.key();
        key = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).privateKey((ECPrivateKey) pair.getPrivate()).keyID(kid).build();
    }

    private String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private void refused(String token, String why) {
        var r = get(client, "/users/me", token);
        assertThat(why + ": " + r.body(), r.status(), is(Status.UNAUTHORIZED_401));
    }

    @Test
    void aProperlySignedTokenPasses() throws Exception {
        assertThat(get(client, "/users/me", sign(valid)).status(), is(Status.OK_200));
    }

    @Test
    void algNoneIsRefused() {
        refused(new PlainJWT(new PlainHeader(), valid).serialize(), "alg none");
        // and a hand-made one with an empty signature
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        String payload = session.path("access_token").asText().split("\\.")[1];
        refused(header + "." + payload + ".", "alg none, hand-made");
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() throws Exception {
        String jwks = get(client, "/auth/.well-known/jwks.json", null).body();
        byte[] publicPem = ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(AuthFixture.key().getPublic().getEncoded())
                            + "\n-----END PUBLIC KEY-----\n").getBytes();
        for (byte[] secret : List.of(publicPem, jwks.getBytes(), AuthFixture.key().getPublic().getEncoded())) {
            byte[] padded = secret.length >= 32 ? secret : java.util.Arrays.copyOf(secret, 32);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), valid);
            jwt.sign(new MACSigner(padded));
            refused(jwt.serialize(), "HS256 with public key material");
        }
    }

    @Test
    void expiredIsRefused() throws Exception {
        Instant past = Instant.now().minusSeconds(3600);
        var r = get(client, "/users/me", sign(new JWTClaimsSet.Builder(valid).issueTime(Date.from(past.minusSeconds(900)))
                                                    .notBeforeTime(Date.from(past.minusSeconds(900))).expirationTime(Date.from(past)).build()));
        assertThat(r.status(), is(Status.UNAUTHORIZED_401));
        assertThat(r.detail(), containsString("expired"));
    }

    @Test
    void notYetValidIsRefused() throws Exception {
        Instant future = Instant.now().plusSeconds(3600);
        refused(sign(new JWTClaimsSet.Builder(valid).notBeforeTime(Date.from(future)).expirationTime(Date.from(future.plusSeconds(900))).build()),
                "nbf in the future");
    }

    @Test
    void wrongIssuerOrAudienceIsRefused() throws Exception {
        refused(sign(new JWTClaimsSet.Builder(valid).issuer("evil").build()), "iss");
        refused(sign(new JWTClaimsSet.Builder(valid).audience("other-app").build()), "aud");
        refused(sign(new JWTClaimsSet.Builder(valid).issuer(null).build()), "no iss");
    }

    @Test
    void tamperedPayloadIsRefused() {
        // The genuine token is verified (and remembered by the verifier's cache) first: a tampered copy must still fail.
        assertThat(get(client, "/users/me", session.path("access_token").asText()).status(), is(Status.OK_200));
        String[] parts = session.path("access_token").asText().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String admin = payload.replace("[\"user\"]", "[\"user\",\"admin\"]");
        assertThat(admin.equals(payload), is(false));
        refused(parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(admin.getBytes()) + "." + parts[2], "tampered roles");
    }

    @Test
    void unknownKidOrForeignKeyIsRefused() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID("someone-else").generate();
        SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("someone-else").build(), valid);
        foreign.sign(new ECDSASigner(other));
        refused(foreign.serialize(), "unknown kid");
        SignedJWT impostor = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), valid);
        impostor.sign(new ECDSASigner(other));
        refused(impostor.serialize(), "right kid, wrong key");
    }

    @Test
    void garbageAndMissingBearerAreRefused() {
        refused("not.a.jwt", "garbage");
        refused("", "empty");
        refused("' OR 1=1 --", "SQL in the header");
        var r = AuthFixture.send(client, io.helidon.http.Method.GET, "/users/me", null, null);
        assertThat(r.status(), is(Status.UNAUTHORIZED_401));
        assertThat(r.headers().first(io.helidon.http.HeaderNames.WWW_AUTHENTICATE).orElse(""), is("Bearer"));
    }
}
