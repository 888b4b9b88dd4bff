package plaza.platform.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigNode;
import io.helidon.config.spi.NodeConfigSource;

/**
 * Loads configuration the same way for every Plaza process: {@code application.yaml} (plus
 * {@code application-<profile>.yaml}), environment variables and system properties as Helidon
 * maps them ({@code DB_URL} → {@code db.url}), and on top the variable names seed 003 used.
 */
public final class PlazaConfig {

    private PlazaConfig() {
    }

    /**
     * Config of this process, with seed-003 variables applied. Precedence, highest first: system
     * properties ({@code -Dcors.allowed-origins=…}), environment variables, the YAML files; a
     * comma-separated value replaces a YAML list (see {@link ConfigLists}).
     */
    public static Config load() {
        Config config = withSeedVariables(Config.create(), System.getenv());
        // The seed aliases sit above Config.create()'s system properties: put those back on top.
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.systemProperties())
                .addSource(copy(config))
                .build();
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
                .addSource(copy(base))
                .build();
    }

    /** A config made of the given key/values over {@code base}: what tests and standalone use to point a service somewhere. */
    public static Config override(Config base, Map<String, String> values) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(values))
                .addSource(copy(base))
                .build();
    }

    /**
     * {@code config} as a source to layer under others. Not {@code ConfigSources.create(config)}: that drops
     * the direct value of a list node — exactly where an environment variable or {@code -D} over a YAML list
     * lives (see {@link ConfigLists}) — so every override of a config silently restored the YAML list.
     */
    static NodeConfigSource copy(Config config) {
        return ConfigSources.create(objectNode(config));
    }

    private static ConfigNode.ObjectNode objectNode(Config config) {
        ConfigNode.ObjectNode.Builder node = ConfigNode.ObjectNode.builder();
        config.asString().asOptional().ifPresent(node::value);
        for (Config child : config.asNodeList().orElse(List.of())) {
            node.addNode(child.name(), node(child));
        }
        return node.build();
    }

    private static ConfigNode node(Config config) {
        return switch (config.type()) {
            case OBJECT -> objectNode(config);
            case LIST -> {
                ConfigNode.ListNode.Builder list = ConfigNode.ListNode.builder();
                config.asString().asOptional().ifPresent(list::value);
                for (Config element : config.asNodeList().orElse(List.of())) {
                    switch (element.type()) {
                        case OBJECT -> list.addObject(objectNode(element));
                        case LIST -> list.addList((ConfigNode.ListNode) node(element));
                        default -> list.addValue(element.asString().orElse(""));
                    }
                }
                yield list.build();
            }
            default -> ConfigNode.ValueNode.create(config.asString().orElse(""));
        };
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
            if (joiner == '-' && (isIndex(segments[index]) || isIndex(segments[index - 1]))) {
                continue; // a list index stands alone: AUTH_OAUTH_CLIENTS_9_GRANT_TYPES never makes a "9-grant" element
            }
            int length = key.length();
            key.append(joiner).append(segments[index]);
            hyphenForms(segments, index + 1, key, target, value);
            key.setLength(length);
        }
    }

    private static boolean isIndex(String segment) {
        return !segment.isEmpty() && segment.chars().allMatch(Character::isDigit);
    }

    private static void copy(Map<String, String> env, String name, Map<String, String> target, String key) {
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
            target.put(key, value.trim());
        }
    }
}
