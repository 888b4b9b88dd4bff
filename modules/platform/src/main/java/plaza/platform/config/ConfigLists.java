package plaza.platform.config;

import java.util.Arrays;
import java.util.List;

import io.helidon.config.Config;

/**
 * Reads a list that may be written either as a YAML list or as one comma-separated string (an
 * environment variable or {@code -D} system property).
 *
 * <p>Helidon merges config sources node by node: a string from the environment over a YAML list
 * does not replace the list, it becomes the list node's direct value while the YAML elements stay
 * its children. A YAML file writes a key as a list or as a string, never both, so a node with a
 * direct value got it from an override (environment, system property, an override map): that value
 * wins, read as a comma-separated list.
 */
public final class ConfigLists {

    private ConfigLists() {
    }

    public static List<String> read(Config node, List<String> defaults) {
        if (!node.exists()) {
            return defaults;
        }
        if (node.isLeaf() || node.hasValue()) {
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
