package plaza.platform.config;

import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Loads configuration the same way for every Plaza process: {@code application.yaml} (plus
 * {@code application-<profile>.yaml}), environment variables and system properties as Helidon
 * maps them ({@code DB_URL} → {@code db.url}), and on top the variable names seed 003 used.
 */
public final class PlazaConfig {

    private PlazaConfig() {
    }

    /** Config of this process, with seed-003 variables applied. */
    public static Config load() {
        return withSeedVariables(Config.create(), System.getenv());
    }

    /**
     * Seed 003 ran on {@code PORT}, {@code ALLOWED_ORIGINS}, {@code ALLOWED_METHODS} and
     * {@code ALLOWED_HEADERS}; they keep working and win over the YAML defaults.
     */
    public static Config withSeedVariables(Config base, Map<String, String> env) {
        Map<String, String> aliases = new HashMap<>();
        copy(env, "PORT", aliases, "server.port");
        copy(env, "ALLOWED_ORIGINS", aliases, "cors.allowed-origins");
        copy(env, "ALLOWED_METHODS", aliases, "cors.allowed-methods");
        copy(env, "ALLOWED_HEADERS", aliases, "cors.allowed-headers");
        if (aliases.isEmpty()) {
            return base;
        }
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(aliases))
                .addSource(ConfigSources.create(base))
                .build();
    }

    /** A config made of the given key/values over {@code base}: what tests and standalone use to point a service somewhere. */
    public static Config override(Config base, Map<String, String> values) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(values))
                .addSource(ConfigSources.create(base))
                .build();
    }

    private static void copy(Map<String, String> env, String name, Map<String, String> target, String key) {
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
            target.put(key, value.trim());
        }
    }
}
