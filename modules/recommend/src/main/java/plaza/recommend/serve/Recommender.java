package plaza.recommend.serve;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import plaza.recommend.model.Interaction;
import plaza.recommend.model.Item;
import plaza.recommend.model.Model;
import plaza.recommend.model.Scored;
import plaza.recommend.sources.History;
import plaza.recommend.sources.InteractionStore;

/**
 * Answers every surface from the active model, re-scored at request time from the shopper's latest
 * interactions (so an event just sent counts at once), and applies the rules: no product that is out of
 * stock, deleted or unknown to catalog; nothing the shopper has (wishlisted, bookmarked, bought in the last
 * 30 days) unless the surface is about it; at most {@code maxPerCategory} products of one category.
 */
public final class Recommender {

    private static final Duration HAVING = Duration.ofDays(30);
    static final double BEHAVIOUR_WEIGHT = Double.parseDouble(System.getProperty("recommend.weight.behaviour", "0.4"));
    static final double TEXT_WEIGHT = Double.parseDouble(System.getProperty("recommend.weight.text", "1.0"));
    static final double TOGETHER_WEIGHT = Double.parseDouble(System.getProperty("recommend.weight.together", "0.8"));
    static final double POPULARITY_WEIGHT = Double.parseDouble(System.getProperty("recommend.weight.popularity", "0"));

    private final Supplier<Model> model;
    private final Supplier<Availability> availability;
    private final History interactions;
    private final Consumer<InteractionStore.Impression> impressions;
    private final int maxPerCategory;
    private final int recentEvents;
    private final Clock clock;

    public Recommender(Supplier<Model> model, Supplier<Availability> availability, History interactions,
                       Consumer<InteractionStore.Impression> impressions, int maxPerCategory, int recentEvents, Clock clock) {
        this.model = model;
        this.availability = availability;
        this.interactions = interactions;
        this.impressions = impressions;
        this.maxPerCategory = maxPerCategory;
        this.recentEvents = recentEvents;
        this.clock = clock;
    }

    /** A candidate being scored: its score so far and why. */
    static final class Candidate {
        final Item item;
        double score;
        final Map<String, Map<String, Object>> reasons = new LinkedHashMap<>();
        final Map<String, Double> reasonWeight = new HashMap<>();

        Candidate(Item item) {
            this.item = item;
        }

        void add(double points, Map<String, Object> reason) {
            add(points, reason, String.valueOf(reason));
        }

        void add(double points, Map<String, Object> reason, String key) {
            score += points;
            reasons.putIfAbsent(key, reason);
            reasonWeight.merge(key, points, Double::sum);
        }
    }

    /** Which items may appear and how many of each kind. */
    record Filter(boolean products, boolean recipes, Set<String> excluded) {
    }

    private final class Ranking {
        final Model m = model.get();
        final Availability a = availability.get();
        final Map<String, Candidate> candidates = new LinkedHashMap<>();
        final Filter filter;
        int cap = maxPerCategory;

        Ranking(Filter filter) {
            this.filter = filter;
        }

        boolean allowed(String key) {
            Item item = m.items().get(key);
            if (item == null || filter.excluded.contains(key)) {
                return false;
            }
            return item.ofProduct() ? filter.products && a.sellable(item) : filter.recipes;
        }

        void add(String key, double points, Map<String, Object> reason) {
            add(key, points, reason, String.valueOf(reason));
        }

        void add(String key, double points, Map<String, Object> reason, String reasonKey) {
            if (points > 0 && allowed(key)) {
                candidates.computeIfAbsent(key, k -> new Candidate(m.items().get(k))).add(points, reason, reasonKey);
            }
        }

        void addList(List<Scored> list, double weight, Map<String, Object> reason) {
            String reasonKey = String.valueOf(reason);
            for (Scored s : list) {
                add(s.item(), weight * s.score(), reason, reasonKey);
            }
        }

        /** Lifts candidates by their place in the month's trending list: {@code score × (1 + w × (1 − rank/length))}. */
        void boostPopular(double weight) {
            if (weight <= 0) {
                return;
            }
            List<Scored> trending = m.trending("month");
            Map<String, Integer> rank = new HashMap<>();
            for (int i = 0; i < trending.size(); i++) {
                rank.put(trending.get(i).item(), i);
            }
            for (Candidate c : candidates.values()) {
                Integer place = rank.get(c.item.key());
                if (place != null) {
                    c.score *= 1 + weight * (1 - (double) place / trending.size());
                }
            }
        }

        /** Best first, the category cap applied; then the reasons each kept to the two that weighed most. */
        List<Candidate> top(int n) {
            List<Candidate> sorted = new ArrayList<>(candidates.values());
            sorted.sort(Comparator.comparingDouble((Candidate c) -> c.score).reversed().thenComparing(c -> c.item.key()));
            Map<String, Integer> perCategory = new HashMap<>();
            List<Candidate> out = new ArrayList<>();
            for (Candidate c : sorted) {
                if (out.size() >= n) {
                    break;
                }
                if (c.item.ofProduct() && cap > 0) {
                    int count = perCategory.merge(c.item.category(), 1, Integer::sum);
                    if (count > cap) {
                        continue;
                    }
                }
                out.add(c);
            }
            return out;
        }

        Map<String, Object> answer(String surface, String shopper, int n, Map<String, Object> extra) {
            List<Candidate> top = top(n);
            String recommId = UUID.randomUUID().toString();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("recommId", recommId);
            body.put("surface", surface);
            body.put("modelVersion", m.version());
            body.put("stale", a.stale() || m.version() == 0);
            body.putAll(extra);
            List<Map<String, Object>> items = new ArrayList<>();
            for (Candidate c : top) {
                items.add(json(c));
            }
            body.put("items", items);
            impressions.accept(new InteractionStore.Impression(recommId, surface, shopper, items.size(), clock.instant()));
            return body;
        }

        Map<String, Object> json(Candidate c) {
            Map<String, Object> item = new LinkedHashMap<>();
            Item i = c.item;
            item.put("type", i.ofProduct() ? "product" : "recipe");
            item.put("id", i.id());
            item.put("name", i.name());
            item.put("category", i.category());
            if (i.ofProduct()) {
                item.put("price", i.price());
            }
            if (i.imageUrl() != null) {
                item.put("imageUrl", i.imageUrl());
            }
            item.put("score", Math.round(c.score * 10000) / 10000.0);
            List<Map.Entry<String, Double>> weights = new ArrayList<>(c.reasonWeight.entrySet());
            weights.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            item.put("reasons", weights.stream().limit(2).map(e -> c.reasons.get(e.getKey())).toList());
            return item;
        }
    }

    static Map<String, Object> reason(String type) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", type);
        return r;
    }

    static Map<String, Object> reason(String type, String itemKey) {
        Map<String, Object> r = reason(type);
        r.put(itemKey.startsWith("p:") ? "productId" : "recipeId", Long.parseLong(itemKey.substring(2)));
        return r;
    }

    private static String seedReason(String kind) {
        return switch (kind) {
            case "purchase" -> "because_you_bought";
            case "wishlist" -> "because_you_wishlisted";
            case "bookmark" -> "because_you_bookmarked";
            case "cart" -> "because_you_added_to_cart";
            default -> "because_you_viewed";
        };
    }

    private Set<String> having(String shopper) {
        return shopper == null ? Set.of() : interactions.having(shopper, clock.instant().minus(HAVING));
    }

    /** {@code for-you}: the shopper's recent interactions, each pulling in its neighbours; cold start without any. */
    public Map<String, Object> forYou(String shopper, String scenario, int n) {
        List<Interaction> recent = interactions.recent(shopper, recentEvents);
        Set<String> had = having(shopper);
        Filter filter = switch (scenario) {
            case "cart" -> new Filter(true, false, had);
            case "recipe" -> new Filter(false, true, had);
            default -> new Filter(true, true, had);
        };
        Ranking r = new Ranking(filter);
        Map<String, Double> seeds = new LinkedHashMap<>();
        Map<String, String> seedKind = new HashMap<>();
        for (int i = 0; i < recent.size(); i++) {
            Interaction x = recent.get(i);
            if (x.item() == null) {
                continue;
            }
            double w = x.weight() * Math.pow(0.92, i); // the newest count most
            seeds.merge(x.item(), w, Double::sum);
            seedKind.merge(x.item(), x.kind(), (old, now) -> new Interaction(null, old, null, null, null, 0).weight()
                                                                      >= new Interaction(null, now, null, null, null, 0).weight() ? old : now);
        }
        double togetherWeight = ("cart".equals(scenario) ? 2 : 1) * TOGETHER_WEIGHT;
        seeds.forEach((seed, w) -> {
            Map<String, Object> because = reason(seedReason(seedKind.get(seed)), seed);
            // Weights from bench/recommend (offline evaluation on the demo month): text is the stronger signal at
            // demo sizes, item2vec's cosines are noisier; overridable for experiments.
            r.addList(r.m.behaviour(seed), BEHAVIOUR_WEIGHT * w, because);
            r.addList(r.m.text(seed), TEXT_WEIGHT * w, because);
            r.addList(r.m.together(seed), togetherWeight * w, because);
        });
        // Items just looked at are not recommended back; what pulled them in stays.
        seeds.keySet().forEach(r.candidates::remove);
        r.boostPopular(POPULARITY_WEIGHT);
        boolean cold = seeds.isEmpty();
        int personal = r.candidates.size();
        if (cold) {
            for (long id : r.a.onAir()) {
                r.add(Item.product(id), 2.0, reason("on_air"));
            }
        }
        backfill(r, n, "week");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("scenario", scenario);
        extra.put("coldStart", cold);
        Map<String, Object> body = r.answer("for-you", shopper, n, extra);
        if (!cold && personal >= n) {
            explore(r, body, n);
        }
        return body;
    }

    /** Popular items fill a short list, each far below every personal candidate. */
    private static void backfill(Ranking r, int n, String window) {
        List<Scored> trending = r.m.trending(window);
        double top = trending.isEmpty() ? 1 : Math.max(1e-9, trending.getFirst().score());
        int added = 0;
        for (Scored s : trending) {
            if (r.candidates.size() >= n * 3 || added > n * 6) {
                break;
            }
            if (!r.candidates.containsKey(s.item()) && r.allowed(s.item())) {
                r.add(s.item(), 0.001 * s.score() / top, reason("popular"));
                added++;
            }
        }
    }

    /** The last slot goes to a popular item outside the list, chosen by the recommId (so a response is reproducible). */
    private static void explore(Ranking r, Map<String, Object> body, int n) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("items");
        if (n < 5 || items.size() < n) {
            return;
        }
        Set<String> shown = new HashSet<>();
        items.forEach(i -> shown.add(("product".equals(i.get("type")) ? "p:" : "r:") + i.get("id")));
        List<String> pool = r.m.trending("month").stream().map(Scored::item)
                .filter(k -> !shown.contains(k) && !r.candidates.containsKey(k) && r.allowed(k)).limit(50).toList();
        if (pool.isEmpty()) {
            return;
        }
        String pick = pool.get(Math.floorMod(String.valueOf(body.get("recommId")).hashCode(), pool.size()));
        Candidate c = new Candidate(r.m.items().get(pick));
        c.add(0, reason("exploration"));
        items.set(items.size() - 1, r.json(c));
    }

    /** Products like this one: seen in the same sessions, worded alike, bought with it. */
    public Map<String, Object> relatedProducts(long productId, String shopper, int n) {
        String key = Item.product(productId);
        Ranking r = requireItem(new Filter(true, false, exclude(having(shopper), key)), key);
        r.addList(r.m.behaviour(key), 1.0, reason("similar_behaviour", key));
        r.addList(r.m.text(key), 0.7, reason("similar_text", key));
        r.addList(r.m.together(key), 0.5, reason("bought_together", key));
        r.boostPopular(POPULARITY_WEIGHT);
        sameCategoryBackfill(r, r.m.items().get(key), n);
        return r.answer("related", shopper, n, Map.of("productId", productId));
    }

    /** Products bought in the same orders or carts as this one. */
    public Map<String, Object> boughtTogether(long productId, String shopper, int n) {
        String key = Item.product(productId);
        Ranking r = requireItem(new Filter(true, false, exclude(having(shopper), key)), key);
        r.addList(r.m.together(key), 1.0, reason("bought_together", key));
        if (r.candidates.size() < n) {
            r.addList(r.m.behaviour(key), 0.1, reason("similar_behaviour", key));
        }
        return r.answer("bought-together", shopper, n, Map.of("productId", productId));
    }

    public Map<String, Object> relatedRecipes(long recipeId, String shopper, int n) {
        String key = Item.recipe(recipeId);
        Ranking r = requireItem(new Filter(false, true, exclude(Set.of(), key)), key);
        r.addList(r.m.text(key), 1.0, reason("similar_text", key));
        r.addList(r.m.behaviour(key), 0.8, reason("similar_behaviour", key));
        return r.answer("recipe-related", shopper, n, Map.of("recipeId", recipeId));
    }

    /** The most interacted-with products over a window (catalog's popularity where behaviour is thin). */
    public Map<String, Object> trending(String category, String window, String shopper, int n) {
        Ranking r = new Ranking(new Filter(true, false, Set.of()));
        for (Scored s : r.m.trending(window)) {
            Item item = r.m.items().get(s.item());
            if (item != null && (category == null || item.category().equalsIgnoreCase(category))) {
                r.add(s.item(), s.score(), reason("popular"));
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("window", window);
        if (category != null) {
            extra.put("category", category);
        }
        return r.answer("trending", shopper, n, extra);
    }

    /** The recipe's ingredients the shopper does not have yet, each as its best sellable Kok product. */
    public Map<String, Object> ingredientsToBuy(long recipeId, String shopper, int n) {
        String key = Item.recipe(recipeId);
        Set<String> had = having(shopper);
        Ranking r = requireItem(new Filter(true, false, had), key);
        Item recipe = r.m.items().get(key);
        List<String> have = new ArrayList<>();
        int position = 0;
        for (Item.Ingredient ingredient : recipe.ingredients()) {
            position++;
            if (ingredient.productIds().stream().anyMatch(id -> had.contains(Item.product(id)))) {
                have.add(ingredient.name());
                continue;
            }
            for (long id : ingredient.productIds()) {
                if (r.allowed(Item.product(id))) {
                    Map<String, Object> why = reason("ingredient", key);
                    why.put("ingredient", ingredient.name());
                    r.add(Item.product(id), (ingredient.optional() ? 0.5 : 1.0) - position * 0.001, why);
                    break;
                }
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("recipeId", recipeId);
        extra.put("have", have);
        r.cap = 0; // one recipe's ingredients often share a category (vegetables): all of them are needed
        return r.answer("ingredients-to-buy", shopper, n, extra);
    }

    /** Recipes that use these products (or the shopper's wishlist), then recipes worded like them. */
    public Map<String, Object> recipesForProducts(List<Long> productIds, String shopper, int n) {
        Ranking r = new Ranking(new Filter(false, true, Set.of()));
        List<Long> ids = productIds;
        if (ids.isEmpty() && shopper != null) {
            ids = interactions.recent(shopper, 500).stream().filter(i -> "wishlist".equals(i.kind()) && i.item() != null && i.item().startsWith("p:"))
                    .map(i -> Long.parseLong(i.item().substring(2))).distinct().toList();
        }
        Set<Long> wanted = new HashSet<>(ids);
        for (Item item : r.m.items().values()) {
            if (item.ofProduct()) {
                continue;
            }
            for (Item.Ingredient ingredient : item.ingredients()) {
                for (long id : ingredient.productIds()) {
                    if (wanted.contains(id)) {
                        r.add(item.key(), ingredient.optional() ? 0.5 : 1.0, reason("uses_product", Item.product(id)));
                        break;
                    }
                }
            }
        }
        for (long id : ids) {
            r.addList(r.m.text(Item.product(id)), 0.5, reason("similar_text", Item.product(id)));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("productIds", ids);
        return r.answer("recipes-for-products", shopper, n, extra);
    }

    private static Set<String> exclude(Set<String> had, String self) {
        Set<String> out = new HashSet<>(had);
        out.add(self);
        return out;
    }

    private Ranking requireItem(Filter filter, String key) {
        Ranking r = new Ranking(filter);
        if (!r.m.items().containsKey(key)) {
            throw plaza.platform.http.ProblemException.notFound(
                    (key.startsWith("p:") ? "Product " : "Recipe ") + key.substring(2) + " is unknown to the recommendation model"
                    + (r.m.version() == 0 ? " (no model is built yet)." : " (version " + r.m.version() + "; new items join at the next rebuild)."));
        }
        return r;
    }

    private static void sameCategoryBackfill(Ranking r, Item of, int n) {
        if (r.candidates.size() >= n) {
            return;
        }
        for (Scored s : r.m.trending("month")) {
            Item item = r.m.items().get(s.item());
            if (item != null && item.category().equals(of.category())) {
                r.add(s.item(), 0.0001 * s.score(), reason("popular"));
            }
        }
    }
}
