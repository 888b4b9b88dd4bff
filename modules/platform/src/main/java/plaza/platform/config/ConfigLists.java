package plaza.platform.config;

import java.util.Arrays;
import java.util.List;

import io.helidon.config.Config;

/** Reads a list that may be written either as a YAML list or as one comma-separated string (env vars). */
public final class ConfigLists {

    private ConfigLists() {
    }

    public static List<String> read(Config node, List<String> defaults) {
        if (!node.exists()) {
            return defaults;
        }
        if (node.isLeaf()) {
            return Arrays.stream(node.asString().orElse("").split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
        return node.asList(String.class).orElse(defaults).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
