package plaza.auth;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.config.Config;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;
import plaza.platform.security.TokenVerifier;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static plaza.auth.AuthFixture.get;
import static plaza.auth.AuthFixture.post;

/**
 * OpenID Connect Discovery at both paths, with {@code issuer} the configured URL, and tokens whose {@code iss}
 * is that URL verified by a service configured with it. Bad inputs: a trailing slash in the configured issuer
 * (dropped, so {@code iss} and the discovery document agree), POST to discovery (405), a verifier expecting
 * the old default {@code "plaza"} (refused).
 */
@ServerTest
class OidcDiscoveryTest {

    private static final String ISSUER = "https://id.plaza.test";
    private final Http1Client client;

    OidcDiscoveryTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        AuthFixture.setUp(server, AuthFixture.config(Map.of("plaza.jwt.issuer", ISSUER + "/")));
    }

    @Test
    void discoveryAtTheRootAndUnderAuthNamesTheIssuerUrl() {
        for (String path : new String[] {"/.well-known/openid-configuration", "/auth/.well-known/openid-configuration"}) {
            var reply = get(client, path, null);
            assertThat(path, reply.status(), is(Status.OK_200));
            JsonNode doc = reply.json();
            assertThat(doc.path("issuer").asText(), is(ISSUER));
            assertThat(doc.path("jwks_uri").asText(), is(ISSUER + "/auth/.well-known/jwks.json"));
            assertThat(doc.path("id_token_signing_alg_values_supported").get(0).asText(), is("ES256"));
        }
        assertThat(post(client, "/auth/.well-known/openid-configuration", "{}").status(), is(Status.METHOD_NOT_ALLOWED_405));
    }

    @Test
    void tokensCarryTheIssuerAndAServiceConfiguredWithItAcceptsThem() throws Exception {
        String token = AuthFixture.newSession(client, "iss").path("access_token").asText();
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer(), is(ISSUER));
        var jwks = get(client, "/auth/.well-known/jwks.json", null).body();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("jwks", ".json");
        java.nio.file.Files.writeString(file, jwks);
        Config service = PlazaConfig.override(Config.empty(), Map.of("plaza.jwt.jwks-file", file.toString(),
                                                                        "plaza.jwt.issuer", ISSUER));
        assertThat(TokenVerifier.fromConfig(service.get("plaza.jwt")).verify(token).email().isEmpty(), is(false));
        Config old = PlazaConfig.override(Config.empty(), Map.of("plaza.jwt.jwks-file", file.toString(), "plaza.jwt.issuer", "plaza"));
        org.junit.jupiter.api.Assertions.assertThrows(plaza.platform.http.ProblemException.class,
                                                      () -> TokenVerifier.fromConfig(old.get("plaza.jwt")).verify(token));
    }
}
