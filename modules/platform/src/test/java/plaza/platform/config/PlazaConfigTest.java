package plaza.platform.config;

import java.util.Map;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class PlazaConfigTest {

    private static final Config YAML = PlazaConfig.override(Config.empty(), Map.of(
            "server.port", "8080", "plaza.access-log.enabled", "true", "cors.allowed-origins", "http://a"));

    @Test
    void seed003VariablesWinOverYaml() {
        Config config = PlazaConfig.withSeedVariables(YAML, Map.of(
                "PORT", "9090", "ALLOWED_ORIGINS", "https://x.example, https://y.example",
                "ALLOWED_METHODS", "GET,POST", "ALLOWED_HEADERS", "Authorization"));
        assertThat(config.get("server.port").asInt().get(), is(9090));
        assertThat(ConfigLists.read(config.get("cors.allowed-origins"), java.util.List.of()),
                   is(java.util.List.of("https://x.example", "https://y.example")));
        assertThat(config.get("cors.allowed-methods").asString().get(), is("GET,POST"));
    }

    @Test
    void plainVariableNamesReachHyphenatedKeys() {
        Config config = PlazaConfig.withSeedVariables(YAML, Map.of(
                "PLAZA_ACCESS_LOG_ENABLED", "false",
                "PLAZA_JWT_JWKS_URI", "http://auth:8080/auth/.well-known/jwks.json",
                "STANDALONE_DATA_DIR", "/var/lib/plaza",
                "DB_POOL_MAX_SIZE", "3"));
        assertThat(config.get("plaza.access-log.enabled").asBoolean().get(), is(false));
        assertThat(config.get("plaza.jwt.jwks-uri").asString().get(), is("http://auth:8080/auth/.well-known/jwks.json"));
        assertThat(config.get("standalone.data-dir").asString().get(), is("/var/lib/plaza"));
        assertThat(config.get("db.pool.max-size").asInt().get(), is(3));
    }

    @Test
    void foreignVariablesAreLeftAlone() {
        Config config = PlazaConfig.withSeedVariables(YAML, Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g", "HOME_DIR_X", "/root"));
        assertThat(config.get("java.tool-options").exists(), is(false));
        assertThat(config.get("home.dir-x").exists(), is(false));
    }

    /** The chart registers OAuth clients as AUTH_OAUTH_CLIENTS_<n>_<FIELD>: a list whose elements are whole. */
    @Test
    void indexedVariablesMakeListElements() {
        Config config = PlazaConfig.withSeedVariables(YAML, Map.of(
                "AUTH_OAUTH_CLIENTS_9_ID", "recommend",
                "AUTH_OAUTH_CLIENTS_9_GRANT_TYPES", "client_credentials",
                "AUTH_OAUTH_CLIENTS_0_ID", "web"));
        var clients = config.get("auth.oauth.clients").asNodeList().get();
        assertThat(clients.size(), is(2));
        for (Config client : clients) {
            assertThat(client.key().toString(), client.get("id").exists(), is(true));
        }
        assertThat(config.get("auth.oauth.clients.9.grant-types").asString().get(), is("client_credentials"));
        assertThat(config.get("auth.oauth.clients.9-grant-types").exists(), is(false));
    }
}
