package plaza.recommend.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One built, immutable model version: the items with their facts at build time, per-item neighbour lists
 * ({@code text}, {@code behaviour}, {@code together}), behaviour vectors, and trending lists per window
 * ({@code day}, {@code week}, {@code month}). Replicas serve whichever version {@code active_model} names.
 */
public record Model(long version, Instant builtAt, Map<String, Item> items, Map<String, List<Scored>> text,
                    Map<String, List<Scored>> behaviour, Map<String, List<Scored>> together,
                    Map<String, float[]> vectors, Map<String, List<Scored>> trending) {

    public static final List<String> WINDOWS = List.of("day", "week", "month");

    public static Model empty() {
        return new Model(0, Instant.EPOCH, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }

    public List<Scored> text(String item) {
        return text.getOrDefault(item, List.of());
    }

    public List<Scored> behaviour(String item) {
        return behaviour.getOrDefault(item, List.of());
    }

    public List<Scored> together(String item) {
        return together.getOrDefault(item, List.of());
    }

    public List<Scored> trending(String window) {
        return trending.getOrDefault(window, List.of());
    }
}
