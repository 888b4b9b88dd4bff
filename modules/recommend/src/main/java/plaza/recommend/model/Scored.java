package plaza.recommend.model;

import java.util.Comparator;
import java.util.List;

/** An item key ({@code p:61}, {@code r:7}) with a score. */
public record Scored(String item, double score) {

    static final Comparator<Scored> BEST_FIRST = Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::item);

    /** The {@code k} best, best first; ties by key so every run and replica orders alike. */
    public static List<Scored> top(List<Scored> all, int k) {
        return all.stream().sorted(BEST_FIRST).limit(k).toList();
    }
}
