package plaza.recommend.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link Model} from the items (catalog's products, recipe's recipes) and the interactions:
 * <ul>
 * <li>text: Nori TF-IDF cosine between every product and recipe ({@link TextIndex});</li>
 * <li>behaviour: item2vec over sessions (a shopper's interactions with gaps under 30 minutes), exact cosine scan;</li>
 * <li>together: co-occurrence in the same order or the same session's carts, each pair weighted by
 *     {@code 0.5^(age / half-life)}, normalised by the two items' own (decayed) counts (cosine);</li>
 * <li>trending: decayed interaction weight per product over the last day, week and month.</li>
 * </ul>
 */
public final class ModelBuilder {

    private static final Duration SESSION_GAP = Duration.ofMinutes(30);

    private final KoreanText korean;
    private final int neighbours;
    private final Duration halfLife;
    private final Item2Vec item2vec;

    public ModelBuilder(KoreanText korean, int neighbours, Duration halfLife, Item2Vec item2vec) {
        this.korean = korean;
        this.neighbours = neighbours;
        this.halfLife = halfLife;
        this.item2vec = item2vec;
    }

    /** What to build from: the parts switched off are left empty (the bench's text-only and behaviour-only runs). */
    public record Parts(boolean text, boolean behaviour) {
        public static final Parts ALL = new Parts(true, true);
    }

    public Model build(long version, Instant now, List<Item> itemList, List<Interaction> interactions, Parts parts) {
        Map<String, Item> items = new LinkedHashMap<>();
        itemList.forEach(i -> items.put(i.key(), i));
        List<Interaction> known = interactions.stream().filter(i -> i.item() == null || items.containsKey(i.item())).toList();

        Map<String, List<Scored>> text = new HashMap<>();
        if (parts.text()) {
            Map<String, String> texts = new TreeMap<>();
            items.values().forEach(i -> texts.put(i.key(), i.text()));
            TextIndex index = TextIndex.build(korean, texts);
            Map<String, List<Scored>> found = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.stream.IntStream.range(0, index.items().size()).parallel().forEach(i -> {
                List<Scored> near = index.neighbours(i, neighbours);
                if (!near.isEmpty()) {
                    found.put(index.items().get(i), near);
                }
            });
            text.putAll(found);
        }

        Map<String, float[]> vectors = Map.of();
        Map<String, List<Scored>> behaviour = new HashMap<>();
        Map<String, List<Scored>> together = new HashMap<>();
        if (parts.behaviour()) {
            vectors = item2vec.train(sessions(known));
            behaviour.putAll(Vectors.allNearest(vectors, neighbours));
            together.putAll(together(known, now));
        }
        return new Model(version, now, items, text, behaviour, together, vectors, trending(known, items, now));
    }

    /** Each shopper's item interactions in time order, cut where the shopper paused for 30 minutes. */
    static List<List<String>> sessions(List<Interaction> interactions) {
        Map<String, List<Interaction>> byShopper = new TreeMap<>();
        interactions.stream().filter(i -> i.item() != null).forEach(i -> byShopper.computeIfAbsent(i.shopper(), s -> new ArrayList<>()).add(i));
        List<List<String>> sessions = new ArrayList<>();
        byShopper.values().forEach(list -> {
            list.sort(Comparator.comparing(Interaction::ts).thenComparingLong(Interaction::basket));
            List<String> session = new ArrayList<>();
            Instant last = null;
            for (Interaction i : list) {
                if (last != null && Duration.between(last, i.ts()).compareTo(SESSION_GAP) > 0) {
                    sessions.add(session);
                    session = new ArrayList<>();
                }
                if (session.isEmpty() || !session.getLast().equals(i.item())) {
                    session.add(i.item());
                }
                last = i.ts();
            }
            sessions.add(session);
        });
        return sessions;
    }

    private double decay(Instant now, Instant ts) {
        double age = Math.max(0, Duration.between(ts, now).toSeconds());
        return Math.pow(0.5, age / Math.max(1, halfLife.toSeconds()));
    }

    /** Products bought in one order, or put in the cart in one session, count as bought together. */
    private Map<String, List<Scored>> together(List<Interaction> interactions, Instant now) {
        Map<String, Map<String, Instant>> baskets = new TreeMap<>(); // basket id → product → when
        Map<String, List<Interaction>> carts = new TreeMap<>();
        for (Interaction i : interactions) {
            if (i.item() == null || !i.item().startsWith("p:")) {
                continue;
            }
            if ("purchase".equals(i.kind())) {
                baskets.computeIfAbsent("o" + i.basket(), b -> new TreeMap<>()).put(i.item(), i.ts());
            } else if ("cart".equals(i.kind())) {
                carts.computeIfAbsent(i.shopper(), s -> new ArrayList<>()).add(i);
            }
        }
        carts.forEach((shopper, list) -> {
            list.sort(Comparator.comparing(Interaction::ts));
            Instant start = null;
            String id = null;
            for (Interaction i : list) {
                if (start == null || Duration.between(start, i.ts()).compareTo(SESSION_GAP) > 0) {
                    id = "c" + shopper + "@" + i.ts();
                }
                start = i.ts();
                baskets.computeIfAbsent(id, b -> new TreeMap<>()).put(i.item(), i.ts());
            }
        });
        Map<String, Double> single = new HashMap<>();
        Map<String, Map<String, Double>> pairs = new HashMap<>();
        for (Map<String, Instant> basket : baskets.values()) {
            List<String> products = new ArrayList<>(basket.keySet());
            if (products.size() > 50) {
                continue; // a bulk order says nothing about pairs
            }
            for (String a : products) {
                double w = decay(now, basket.get(a));
                single.merge(a, w, Double::sum);
                for (String b : products) {
                    if (!a.equals(b)) {
                        pairs.computeIfAbsent(a, x -> new HashMap<>()).merge(b, w, Double::sum);
                    }
                }
            }
        }
        Map<String, List<Scored>> together = new HashMap<>();
        pairs.forEach((a, counts) -> {
            List<Scored> scored = new ArrayList<>();
            counts.forEach((b, c) -> scored.add(new Scored(b, c / Math.sqrt(single.get(a) * single.get(b)))));
            together.put(a, Scored.top(scored, neighbours));
        });
        return together;
    }

    private Map<String, List<Scored>> trending(List<Interaction> interactions, Map<String, Item> items, Instant now) {
        Map<String, List<Scored>> trending = new HashMap<>();
        Map<String, Duration> windows = Map.of("day", Duration.ofDays(1), "week", Duration.ofDays(7), "month", Duration.ofDays(30));
        for (String window : Model.WINDOWS) {
            Instant from = now.minus(windows.get(window));
            Map<String, Double> score = new HashMap<>();
            for (Interaction i : interactions) {
                if (i.item() != null && !i.ts().isBefore(from)) {
                    score.merge(i.item(), i.weight(), Double::sum);
                }
            }
            List<Scored> list = new ArrayList<>();
            score.forEach((item, s) -> list.add(new Scored(item, s)));
            // Little behaviour yet: catalog's own popularity (reviews) fills in, below every observed item.
            items.values().stream().filter(i -> !score.containsKey(i.key()) && i.popularity() > 0)
                    .forEach(i -> list.add(new Scored(i.key(), 0.01 * i.popularity() / (1 + i.popularity()))));
            trending.put(window, Scored.top(list, Math.max(200, neighbours * 10)));
        }
        return trending;
    }
}
