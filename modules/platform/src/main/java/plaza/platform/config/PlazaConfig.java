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

    /** First segments of the keys Plaza reads; only variables starting with these get hyphen forms. */
    private static final java.util.Set<String> PREFIXES = java.util.Set.of(
            "PLAZA", "DB", "SERVER", "CORS", "STANDALONE", "AUTH", "CHAT", "ASSISTANT", "CATALOG", "RECIPE",
            "EVENTS", "RECOMMEND");
    private static final java.util.regex.Pattern ENV_NAME = java.util.regex.Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+){1,6}");

    /**
     * Seed 003 ran on {@code PORT}, {@code ALLOWED_ORIGINS}, {@code ALLOWED_METHODS} and
     * {@code ALLOWED_HEADERS}; they keep working and win over the YAML defaults. Also, Helidon maps
     * {@code PLAZA_JWT_JWKS_URI} only to {@code plaza.jwt.jwks.uri}, so hyphenated keys such as
     * {@code plaza.jwt.jwks-uri} would need {@code _DASH_}; for Plaza's own prefixes every hyphen
     * placement of the name is offered too, and the variable works as written.
     */
    public static Config withSeedVariables(Config base, Map<String, String> env) {
        Map<String, String> aliases = new HashMap<>();
        env.forEach((name, value) -> {
            if (ENV_NAME.matcher(name).matches() && PREFIXES.contains(name.substring(0, name.indexOf('_')))) {
                hyphenForms(name.toLowerCase(java.util.Locale.ROOT).split("_"), 1, new StringBuilder(
                        name.substring(0, name.indexOf('_')).toLowerCase(java.util.Locale.ROOT)), aliases, value);
            }
        });
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

    /** Joins the remaining segments with "." or "-" in every combination, keeping the first as the root. */
    private static void hyphenForms(String[] segments, int index, StringBuilder key, Map<String, String> target, String value) {
        if (index == segments.length) {
            target.putIfAbsent(key.toString(), value);
            return;
        }
        for (char joiner : new char[] {'.', '-'}) {
            if (joiner == '-' && index == 1) {
                continue; // the root stays a root: PLAZA_X is plaza.x, never plaza-x
            }
            int length = key.length();
            key.append(joiner).append(segments[index]);
            hyphenForms(segments, index + 1, key, target, value);
            key.setLength(length);
        }
    }

    private static void copy(Map<String, String> env, String name, Map<String, String> target, String key) {
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
            target.put(key, value.trim());
        }
    }
}
