package plaza.platform.security;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.helidon.config.Config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;
import plaza.platform.http.ProblemException;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Services behind another identity provider: tokens shaped like Keycloak's, Cognito's (access token: no aud,
 * client_id, username, cognito:groups) and Entra ID's, RS256-signed by a test key as those providers sign, accepted
 * with the settings docs/auth.md gives for each. Bad inputs: a Cognito token of an app client not listed, a Keycloak
 * token for another audience, a token of the right provider but another realm (iss), a roles claim that is a
 * string, a NUL in the mapped user id, a discovery document naming another issuer.
 */
class ExternalIssuerTest {

    private static RSAKey key;
    private static Path jwks;

    @BeforeAll
    static void keys() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        jwks = Files.createTempFile("idp-jwks", ".json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    }

    private static String rs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims(String issuer) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("7c9e6679-7425-40de-944b-e07fc1f90ae7")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static TokenVerifier verifier(Map<String, String> settings) {
        Map<String, String> values = new HashMap<>();
        values.put("plaza.jwt.jwks-file", jwks.toString());
        settings.forEach((k, v) -> values.put("plaza.jwt." + k, v));
        return TokenVerifier.fromConfig(PlazaConfig.override(Config.empty(), values).get("plaza.jwt"));
    }

    @Test
    void keycloakRealmRoles() throws Exception {
        String issuer = "https://sso.example.com/realms/plaza";
        TokenVerifier keycloak = verifier(Map.of("issuer", issuer, "audience", "plaza", "claims.roles", "realm_access.roles",
                                                 "default-roles", "user"));
        String token = rs256(claims(issuer).audience(List.of("plaza", "account")).claim("azp", "plaza-web")
                                     .claim("realm_access", Map.of("roles", List.of("admin", "offline_access")))
                                     .claim("preferred_username", "ada").claim("email", "ada@example.com").claim("name", "Ada Lovelace")
                                     .claim("email_verified", true).build());
        Caller caller = keycloak.verify(token);
        assertThat(caller.id(), is("7c9e6679-7425-40de-944b-e07fc1f90ae7"));
        assertThat(caller.roles(), is(Set.of("user", "admin", "offline_access")));
        assertThat(caller.email(), is("ada@example.com"));
        assertThat(caller.name(), is("Ada Lovelace"));
        assertThat(caller.emailVerified(), is(true));
        // Another audience, another realm: refused.
        assertThrows(ProblemException.class, () -> keycloak.verify(rs256(claims(issuer).audience("account").build())));
        assertThrows(ProblemException.class, () -> keycloak.verify(rs256(claims("https://sso.example.com/realms/other").audience("plaza").build())));
    }

    @Test
    void cognitoAccessTokensWithClientIdInsteadOfAud() throws Exception {
        String issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";
        TokenVerifier cognito = verifier(Map.of("issuer", issuer, "client-ids", "3n4b5urk1ft4fl3mg5e62d9ado, 6abc",
                                                "claims.roles", "cognito:groups", "claims.name", "username", "default-roles", "user"));
        String access = rs256(claims(issuer).claim("token_use", "access").claim("client_id", "3n4b5urk1ft4fl3mg5e62d9ado")
                                      .claim("username", "ada").claim("cognito:groups", List.of("admin"))
                                      .claim("scope", "aws.cognito.signin.user.admin").build());
        Caller caller = cognito.verify(access);
        assertThat(caller.name(), is("ada"));
        assertThat(caller.roles(), is(Set.of("user", "admin")));
        assertThat(caller.email(), is((String) null));
        // A Cognito ID token names the app client in aud.
        assertThat(cognito.verify(rs256(claims(issuer).audience("6abc").claim("email", "ada@example.com").build())).email(),
                   is("ada@example.com"));
        // Another app client of the same pool is not ours.
        var e = assertThrows(ProblemException.class, () -> cognito.verify(rs256(claims(issuer).claim("client_id", "someone-else").build())));
        assertThat(e.getMessage(), containsString("audience"));
        // A string where a list is expected is one role; a NUL in the user id is refused.
        assertThat(cognito.verify(rs256(claims(issuer).claim("client_id", "6abc").claim("cognito:groups", "editors").build())).roles(),
                   is(Set.of("user", "editors")));
        assertThrows(ProblemException.class, () -> cognito.verify(rs256(claims(issuer).subject("a\u0000b").claim("client_id", "6abc").build())));
    }

    @Test
    void entraIdAppRolesAndObjectId() throws Exception {
        String issuer = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0";
        String app = "api://plaza";
        TokenVerifier entra = verifier(Map.of("issuer", issuer, "audience", app, "claims.user-id", "oid", "claims.email", "preferred_username",
                                              "default-roles", "user"));
        String token = rs256(claims(issuer).audience(app).claim("oid", "00000000-0000-0000-66f3-3332eca7ea81")
                                     .claim("roles", List.of("admin")).claim("name", "Ada").claim("preferred_username", "ada@contoso.com")
                                     .build());
        Caller caller = entra.verify(token);
        assertThat(caller.id(), is("00000000-0000-0000-66f3-3332eca7ea81"));
        assertThat(caller.roles(), is(Set.of("user", "admin")));
        assertThat(caller.email(), is("ada@contoso.com"));
        // Without an oid claim there is no user id to act as.
        assertThrows(ProblemException.class, () -> entra.verify(rs256(claims(issuer).audience(app).build())));
    }

    @Test
    void jwksUriFromTheIssuersDiscoveryDocument() throws Exception {
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/plaza";
        String[] named = {issuer};
        idp.createContext("/realms/plaza/.well-known/openid-configuration", ex -> {
            byte[] body = ("{\"issuer\":\"" + named[0] + "\",\"jwks_uri\":\"" + issuer + "/certs\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        idp.createContext("/realms/plaza/certs", ex -> {
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        idp.start();
        try {
            Config config = PlazaConfig.override(Config.empty(), Map.of("plaza.jwt.issuer", issuer, "plaza.jwt.discovery", "true",
                                                                        "plaza.jwt.audience", "plaza"));
            TokenVerifier discovered = TokenVerifier.fromConfig(config.get("plaza.jwt"));
            assertThat(discovered.verify(rs256(claims(issuer).audience("plaza").build())).id(), is("7c9e6679-7425-40de-944b-e07fc1f90ae7"));
            named[0] = "https://impostor.example";
            var e = assertThrows(IllegalStateException.class, () -> TokenVerifier.fromConfig(config.get("plaza.jwt")));
            assertThat(e.getMessage(), containsString("names issuer"));
        } finally {
            idp.stop(0);
        }
    }
}
