package plaza.recommend;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import plaza.auth.AuthService;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.recommend.sources.ServiceToken;
import plaza.testing.EmbeddedDatabases;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** recommend's feed token from a real auth: client credentials with HTTP Basic, a service token, kept between calls. */
class ClientCredentialsTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef";
    static AuthService auth;
    static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> values = new HashMap<>(EmbeddedDatabases.fresh(Database.Vendor.MARIADB, "auth"));
        values.put("auth.key-directory", Files.createTempDirectory("auth-keys").toString());
        values.put("auth.smtp.host", "127.0.0.1"); // never used: no mail is sent here
        values.put("auth.smtp.port", "9");
        values.put("auth.public-url", "http://plaza.test");
        values.put("plaza.access-log.enabled", "false");
        values.put("auth.oauth.clients.0.id", "recommend");
        values.put("auth.oauth.clients.0.secret", SECRET);
        values.put("auth.oauth.clients.0.scopes", "events:read");
        values.put("auth.oauth.clients.0.grant-types", "client_credentials");
        Config config = PlazaConfig.override(Config.empty(), values);
        auth = AuthService.create(config, Database.open(config.get("db"), "auth"));
        WebServerConfig.Builder builder = WebServer.builder();
        PlazaServer.configure(builder, config, List.of(auth));
        server = builder.port(0).build().start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        auth.close();
    }

    URI tokenUrl() {
        return URI.create("http://localhost:" + server.port() + "/auth/oauth/token");
    }

    @Test
    void getsAServiceTokenAndKeepsIt() {
        ServiceToken token = ServiceToken.clientCredentials(tokenUrl(), "recommend", SECRET, "events:read", Duration.ofSeconds(5));
        String first = token.authorization();
        assertThat(first.startsWith("Bearer "), is(true));
        assertThat(auth.tokenVerifier().verify(first.substring(7)).isService(), is(true));
        assertThat(token.authorization(), is(first));
    }

    @Test
    void aWrongSecretOrNoAuthIsAClearFailure() {
        ServiceToken wrong = ServiceToken.clientCredentials(tokenUrl(), "recommend", "x".repeat(40), "", Duration.ofSeconds(5));
        assertThat(assertThrows(IllegalStateException.class, wrong::authorization).getMessage(), containsString("401"));
        ServiceToken nowhere = ServiceToken.clientCredentials(URI.create("http://127.0.0.1:9/auth/oauth/token"), "recommend", SECRET, "",
                                                              Duration.ofSeconds(2));
        assertThat(assertThrows(IllegalStateException.class, nowhere::authorization).getMessage(), containsString("unreachable"));
    }
}
