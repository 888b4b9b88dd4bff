package plaza.standalone;

import java.util.List;
import java.util.Map;

import io.helidon.common.uri.UriQuery;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.api.Test;
import plaza.platform.config.ConfigLists;
import plaza.platform.config.PlazaConfig;
import plaza.platform.http.CorsPolicy;
import plaza.platform.http.ProblemException;
import plaza.platform.security.UpgradeGate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Seed 003's CORS variables against the shipped {@code application.yaml}, whose {@code cors.allowed-origins} is a
 * YAML list, through the sources Main uses ({@code Config.create()}: classpath YAML, environment, system
 * properties, then PlazaConfig's seed aliases). Tries {@code ALLOWED_ORIGINS} with one origin, two, and
 * {@code *}; {@code CORS_ALLOWED_ORIGINS}; {@code ALLOWED_METHODS}/{@code ALLOWED_HEADERS}; a real
 * {@code -Dcors.allowed-origins}; and an override map layered over all that (standalone's auth defaults, tests).
 */
class StandaloneCorsConfigTest {

    private static final String APP = "https://app.example.com";

    @Test
    void withoutVariablesTheShippedListApplies() {
        CorsPolicy cors = CorsPolicy.create(PlazaConfig.withSeedVariables(Config.create(), Map.of()).get("cors"));
        assertThat(cors.allowsOrigin("http://localhost:5173"), is(true));
        assertThat(cors.allowsOrigin(APP), is(false));
    }

    @Test
    void environmentVariablesReplaceTheShippedList() {
        for (String name : List.of("ALLOWED_ORIGINS", "CORS_ALLOWED_ORIGINS")) {
            Config config = PlazaConfig.withSeedVariables(Config.create(), Map.of(name, APP + ", https://admin.example.com"));
            CorsPolicy cors = CorsPolicy.create(config.get("cors"));
            assertThat(name, cors.allowsOrigin(APP), is(true));
            assertThat(name, cors.allowsOrigin("https://admin.example.com"), is(true));
            assertThat(name + " replaces, not extends, the YAML list", cors.allowsOrigin("http://localhost:5173"), is(false));
            assertOriginGate(cors);
            // Layering more values over it (what standalone does for auth) must keep the variable's value.
            Config layered = PlazaConfig.override(config, Map.of("auth.dev-mail.enabled", "true"));
            assertThat(name + " survives an override", CorsPolicy.create(layered.get("cors")).allowsOrigin(APP), is(true));
        }
        Config any = PlazaConfig.withSeedVariables(Config.create(), Map.of("ALLOWED_ORIGINS", "*"));
        assertThat(CorsPolicy.create(any.get("cors")).allowsOrigin("https://anywhere.example"), is(true));
    }

    @Test
    void methodAndHeaderVariablesWinToo() {
        // The shipped YAML lists no methods or headers: an operator's YAML that does, under the shipped one.
        Config yaml = Config.builder()
                .addSource(ConfigSources.create("cors: {allowed-methods: [GET, POST], allowed-headers: [X-Yaml]}",
                                                MediaTypes.APPLICATION_YAML))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
        assertThat(ConfigLists.read(yaml.get("cors.allowed-methods"), List.of()), is(List.of("GET", "POST")));
        Config config = PlazaConfig.withSeedVariables(yaml, Map.of("ALLOWED_METHODS", "GET, DELETE", "ALLOWED_HEADERS", "Authorization"));
        assertThat(ConfigLists.read(config.get("cors.allowed-methods"), List.of()), is(List.of("GET", "DELETE")));
        assertThat(ConfigLists.read(config.get("cors.allowed-headers"), List.of()), is(List.of("Authorization")));
    }

    @Test
    void systemPropertyReplacesTheShippedList() {
        String before = System.getProperty("cors.allowed-origins");
        System.setProperty("cors.allowed-origins", APP);
        try {
            // PlazaConfig.load() is Main's own call: system properties over environment over YAML.
            CorsPolicy cors = CorsPolicy.create(PlazaConfig.load().get("cors"));
            assertThat(cors.allowsOrigin(APP), is(true));
            assertThat(cors.allowsOrigin("http://localhost:8080"), is(false));
            assertOriginGate(cors);
        } finally {
            if (before == null) {
                System.clearProperty("cors.allowed-origins");
            } else {
                System.setProperty("cors.allowed-origins", before);
            }
        }
    }

    /** The WebSocket gate asks the same policy: the allowed origin gets to the token check (401), another is 403. */
    private static void assertOriginGate(CorsPolicy cors) {
        UpgradeGate gate = new UpgradeGate(cors, null);
        assertThat(status(gate, APP), is(401));
        assertThat(status(gate, "https://evil.example"), is(403));
    }

    private static int status(UpgradeGate gate, String origin) {
        WritableHeaders<?> headers = WritableHeaders.create();
        headers.set(HeaderNames.ORIGIN, origin);
        try {
            gate.admit(headers, UriQuery.empty());
            return 200;
        } catch (ProblemException e) {
            return e.status().code();
        }
    }
}
