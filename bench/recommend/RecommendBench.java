import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import plaza.events.demo.DemoActivity;
import plaza.events.store.EventRow;
import plaza.platform.http.Json;
import plaza.recommend.model.Interaction;
import plaza.recommend.model.Item;
import plaza.recommend.model.Item2Vec;
import plaza.recommend.model.KoreanText;
import plaza.recommend.model.Model;
import plaza.recommend.model.ModelBuilder;
import plaza.recommend.model.Scored;
import plaza.recommend.serve.Availability;
import plaza.recommend.serve.Recommender;
import plaza.recommend.sources.Catalog;
import plaza.recommend.sources.FeedReader;
import plaza.recommend.sources.History;
import plaza.recommend.sources.Recipes;

/**
 * recommend's offline evaluation and speed run (bench/recommend/README.md). Quality: the demo month
 * (DemoActivity, fixed seed), each shopper's last 5 item interactions held out; recall@10 and NDCG@10 of
 * for-you (home) and related, beside most-popular and random computed on the same split, for the text-only,
 * behaviour-only and full models; catalog coverage. Speed: 10,000+ products and ~1,000,000 events: the
 * in-process model build, heap after it, and for-you / related latency from 64 threads.
 */
public class RecommendBench {

    static final Instant END = Instant.parse("2026-12-01T00:00:00Z");
    static final int HELD = 5;

    public static void main(String[] args) throws Exception {
        boolean quality = !"speed".equals(System.getProperty("mode"));
        boolean speed = !"quality".equals(System.getProperty("mode"));
        List<String> productLines = lines("demo/catalog/products.jsonl");
        List<String> recipeLines = lines("demo/recipe/recipes.jsonl");
        if (quality) {
            quality(productLines, recipeLines);
        }
        if (speed) {
            speed(productLines, recipeLines, Integer.getInteger("copies", 17), Integer.getInteger("shoppers", 17000));
        }
    }

    static List<String> lines(String name) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(RecommendBench.class.getClassLoader().getResourceAsStream(name), StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    static List<Item> items(List<String> productLines, List<String> recipeLines) {
        List<Item> items = new ArrayList<>();
        productLines.forEach(l -> items.add(Catalog.product(Json.parse(l))));
        recipeLines.forEach(l -> items.add(Recipes.recipe(Json.parse(l))));
        return items;
    }

    static List<Interaction> interactions(List<EventRow> rows) {
        List<Interaction> out = new ArrayList<>(rows.size());
        long seq = 0;
        for (EventRow row : rows) {
            seq++;
            ObjectNode event = Json.MAPPER.createObjectNode();
            event.put("type", row.type());
            event.put("event", row.event());
            event.put("userId", row.userId());
            event.put("timestamp", row.ts().atOffset(ZoneOffset.UTC).toString());
            event.set("properties", Json.parse(row.payload()).path("properties"));
            for (FeedReader.Row r : FeedReader.rows(event)) {
                out.add(new Interaction(r.shopper(), r.kind(), r.item(), r.query(), r.ts(), seq));
            }
        }
        return out;
    }

    /** Interactions kept in memory, newest first per shopper. */
    static final class MemoryHistory implements History {
        final Map<String, List<Interaction>> byShopper = new HashMap<>();

        MemoryHistory(List<Interaction> all) {
            for (Interaction i : all) {
                byShopper.computeIfAbsent(i.shopper(), s -> new ArrayList<>()).add(i);
            }
            byShopper.values().forEach(Collections::reverse);
        }

        @Override
        public List<Interaction> recent(String shopper, int limit) {
            List<Interaction> list = byShopper.getOrDefault(shopper, List.of());
            return list.subList(0, Math.min(limit, list.size()));
        }

        @Override
        public Set<String> having(String shopper, Instant from) {
            Set<String> out = new HashSet<>();
            for (Interaction i : byShopper.getOrDefault(shopper, List.of())) {
                if (i.meansHaving() && !i.ts().isBefore(from) && i.item() != null) {
                    out.add(i.item());
                }
            }
            return out;
        }
    }

    record Split(List<Interaction> train, Map<String, Set<String>> held, Map<String, Set<String>> seen, Map<String, String> lastProduct) {
    }

    static Split split(List<Interaction> all) {
        Map<String, List<Interaction>> byShopper = new LinkedHashMap<>();
        all.forEach(i -> byShopper.computeIfAbsent(i.shopper(), s -> new ArrayList<>()).add(i));
        List<Interaction> train = new ArrayList<>();
        Map<String, Set<String>> held = new LinkedHashMap<>();
        Map<String, Set<String>> seen = new HashMap<>();
        Map<String, String> lastProduct = new HashMap<>();
        byShopper.forEach((shopper, list) -> {
            List<Interaction> items = list.stream().filter(i -> i.item() != null).toList();
            if (items.size() <= HELD + 2) {
                train.addAll(list);
                return;
            }
            Instant cut = items.get(items.size() - HELD).ts();
            Set<String> before = new HashSet<>();
            for (Interaction i : list) {
                if (i.ts().isBefore(cut)) {
                    train.add(i);
                    if (i.item() != null) {
                        before.add(i.item());
                        if (i.item().startsWith("p:")) {
                            lastProduct.put(shopper, i.item());
                        }
                    }
                }
            }
            Set<String> test = new HashSet<>();
            items.subList(items.size() - HELD, items.size()).forEach(i -> {
                if (!before.contains(i.item())) {
                    test.add(i.item());
                }
            });
            if (!test.isEmpty()) {
                held.put(shopper, test);
                seen.put(shopper, before);
            }
        });
        return new Split(train, held, seen, lastProduct);
    }

    static double[] score(List<String> ranked, Set<String> relevant) {
        int hits = 0;
        double dcg = 0;
        for (int i = 0; i < Math.min(10, ranked.size()); i++) {
            if (relevant.contains(ranked.get(i))) {
                hits++;
                dcg += 1 / (Math.log(i + 2) / Math.log(2));
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(10, relevant.size()); i++) {
            ideal += 1 / (Math.log(i + 2) / Math.log(2));
        }
        return new double[]{(double) hits / relevant.size(), ideal == 0 ? 0 : dcg / ideal};
    }

    static List<String> keys(Map<String, Object> answer) {
        List<String> out = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) answer.get("items");
        for (Map<String, Object> i : items) {
            out.add(("product".equals(i.get("type")) ? "p:" : "r:") + i.get("id"));
        }
        return out;
    }

    static void quality(List<String> productLines, List<String> recipeLines) {
        List<DemoActivity.Product> demoProducts = DemoActivity.products(productLines);
        List<DemoActivity.Recipe> demoRecipes = DemoActivity.recipes(recipeLines, demoProducts);
        List<Interaction> all = interactions(DemoActivity.generate(demoProducts, demoRecipes, DemoActivity.SEED, END));
        Split split = split(all);
        List<Item> items = items(productLines, recipeLines);
        Map<Long, Item> products = new HashMap<>();
        items.stream().filter(Item::ofProduct).forEach(p -> products.put(p.id(), p));
        Availability availability = new Availability(products, Set.of(), END, false);
        MemoryHistory history = new MemoryHistory(split.train());
        System.out.printf("demo month: %d interactions, %d shoppers evaluated, %d held-out items (last %d interactions each, items not seen before)%n",
                          all.size(), split.held().size(), split.held().values().stream().mapToInt(Set::size).sum(), HELD);
        System.out.println("| model | surface | recall@10 | NDCG@10 | coverage (products) |");
        System.out.println("|---|---|---|---|---|");
        Map<String, ModelBuilder.Parts> variants = new LinkedHashMap<>();
        variants.put("both", ModelBuilder.Parts.ALL);
        variants.put("text only", new ModelBuilder.Parts(true, false));
        variants.put("behaviour only", new ModelBuilder.Parts(false, true));
        Model full = null;
        for (Map.Entry<String, ModelBuilder.Parts> v : variants.entrySet()) {
            ModelBuilder builder = new ModelBuilder(new KoreanText(), 30, java.time.Duration.ofDays(30), new Item2Vec(32, 5, 5, 5, 42));
            Model model = builder.build(1, END, items, split.train(), v.getValue());
            if (full == null) {
                full = model;
            }
            Recommender recommender = new Recommender(() -> model, () -> availability, history, i -> { }, 3, 50, Clock.fixed(END, ZoneOffset.UTC));
            double[] forYou = new double[2];
            double[] related = new double[2];
            int relatedCount = 0;
            Set<String> covered = new HashSet<>();
            for (Map.Entry<String, Set<String>> e : split.held().entrySet()) {
                List<String> ranked = keys(recommender.forYou(e.getKey(), "home", 10));
                ranked.stream().filter(k -> k.startsWith("p:")).forEach(covered::add);
                add(forYou, score(ranked, e.getValue()));
                String last = split.lastProduct().get(e.getKey());
                Set<String> heldProducts = productsOf(e.getValue());
                if (last != null && !heldProducts.isEmpty()) {
                    add(related, score(keys(recommender.relatedProducts(Long.parseLong(last.substring(2)), e.getKey(), 10)), heldProducts));
                    relatedCount++;
                }
            }
            int n = split.held().size();
            System.out.printf("| %s | for-you | %.4f | %.4f | %.3f |%n", v.getKey(), forYou[0] / n, forYou[1] / n, (double) covered.size() / products.size());
            System.out.printf("| %s | related | %.4f | %.4f | |%n", v.getKey(), related[0] / relatedCount, related[1] / relatedCount);
        }
        // Baselines on the same split.
        List<String> popular = full.trending("month").stream().map(Scored::item).toList();
        Random random = new Random(7);
        List<String> allKeys = items.stream().map(Item::key).toList();
        List<String> allProducts = allKeys.stream().filter(k -> k.startsWith("p:")).toList();
        double[] pop = new double[2];
        double[] rnd = new double[2];
        double[] popRelated = new double[2];
        double[] rndRelated = new double[2];
        int relatedCount = 0;
        Set<String> popCovered = new HashSet<>();
        for (Map.Entry<String, Set<String>> e : split.held().entrySet()) {
            Set<String> seen = split.seen().get(e.getKey());
            List<String> p = popular.stream().filter(k -> !seen.contains(k)).limit(10).toList();
            p.stream().filter(k -> k.startsWith("p:")).forEach(popCovered::add);
            add(pop, score(p, e.getValue()));
            List<String> shuffled = new ArrayList<>(allKeys);
            Collections.shuffle(shuffled, random);
            add(rnd, score(shuffled.stream().filter(k -> !seen.contains(k)).limit(10).toList(), e.getValue()));
            String last = split.lastProduct().get(e.getKey());
            Set<String> heldProducts = productsOf(e.getValue());
            if (last != null && !heldProducts.isEmpty()) {
                add(popRelated, score(popular.stream().filter(k -> k.startsWith("p:") && !k.equals(last) && !seen.contains(k)).limit(10).toList(), heldProducts));
                List<String> sp = new ArrayList<>(allProducts);
                Collections.shuffle(sp, random);
                add(rndRelated, score(sp.stream().filter(k -> !k.equals(last) && !seen.contains(k)).limit(10).toList(), heldProducts));
                relatedCount++;
            }
        }
        int n = split.held().size();
        System.out.printf("| most popular | for-you | %.4f | %.4f | %.3f |%n", pop[0] / n, pop[1] / n, (double) popCovered.size() / allProducts.size());
        System.out.printf("| most popular | related | %.4f | %.4f | |%n", popRelated[0] / relatedCount, popRelated[1] / relatedCount);
        System.out.printf("| random | for-you | %.4f | %.4f | |%n", rnd[0] / n, rnd[1] / n);
        System.out.printf("| random | related | %.4f | %.4f | |%n", rndRelated[0] / relatedCount, rndRelated[1] / relatedCount);
    }

    static Set<String> productsOf(Set<String> keys) {
        Set<String> out = new HashSet<>();
        keys.stream().filter(k -> k.startsWith("p:")).forEach(out::add);
        return out;
    }

    static void add(double[] sum, double[] x) {
        sum[0] += x[0];
        sum[1] += x[1];
    }

    static void speed(List<String> productLines, List<String> recipeLines, int copies, int shoppers) throws Exception {
        // copies × the demo products, new ids (id + k·1000), the same words plus a batch number.
        List<String> many = new ArrayList<>();
        for (int k = 0; k < copies; k++) {
            for (String line : productLines) {
                ObjectNode p = (ObjectNode) Json.parse(line);
                p.put("id", p.path("id").asLong() + k * 1000L);
                p.put("name", p.path("name").asText() + " " + (k + 1) + "호");
                many.add(p.toString());
            }
        }
        List<DemoActivity.Product> demoProducts = DemoActivity.products(many);
        List<DemoActivity.Recipe> demoRecipes = DemoActivity.recipes(recipeLines, demoProducts);
        long t0 = System.nanoTime();
        List<EventRow> rows = DemoActivity.generate(demoProducts, demoRecipes, DemoActivity.SEED, END, shoppers);
        List<Interaction> all = interactions(rows);
        int events = rows.size();
        rows = null;
        System.out.printf("%nspeed: %d products, %d recipes, %d events as %d interactions (order lines counted apart) of %d shoppers, generated in %.1f s%n",
                          many.size(), recipeLines.size(), events, all.size(), shoppers, (System.nanoTime() - t0) / 1e9);
        List<Item> items = items(many, recipeLines);
        System.gc();
        long heapBefore = usedHeap();
        ModelBuilder builder = new ModelBuilder(new KoreanText(), 30, java.time.Duration.ofDays(30), new Item2Vec(32, 5, 5, 5, 42));
        long b0 = System.nanoTime();
        Model model = builder.build(1, END, items, all, ModelBuilder.Parts.ALL);
        double buildSeconds = (System.nanoTime() - b0) / 1e9;
        System.gc();
        long heapModel = usedHeap() - heapBefore;
        System.out.printf("model build (text + item2vec + exact neighbours + bought-together + trending): %.1f s; %d vectors; heap held by the model ≈ %d MB (heap in use %d MB)%n",
                          buildSeconds, model.vectors().size(), heapModel / (1 << 20), usedHeap() / (1 << 20));
        // Exact scan cost per query at this size (what request-time vector search would pay).
        List<String> vkeys = new ArrayList<>(model.vectors().keySet());
        float[][] matrix = vkeys.stream().map(model.vectors()::get).toArray(float[][]::new);
        long s0 = System.nanoTime();
        for (int q = 0; q < 200; q++) {
            plaza.recommend.model.Vectors.nearest(matrix[q % matrix.length], vkeys.get(q % matrix.length), vkeys, matrix, 10);
        }
        System.out.printf("exact scan over %d × 32-d vectors: %.2f ms per query%n", matrix.length, (System.nanoTime() - s0) / 1e6 / 200);

        Map<Long, Item> products = new HashMap<>();
        items.stream().filter(Item::ofProduct).forEach(p -> products.put(p.id(), p));
        Availability availability = new Availability(products, Set.of(), END, false);
        MemoryHistory history = new MemoryHistory(all);
        Recommender recommender = new Recommender(() -> model, () -> availability, history, i -> { }, 3, 50, Clock.fixed(END, ZoneOffset.UTC));
        List<String> users = new ArrayList<>(history.byShopper.keySet());
        List<Long> productIds = new ArrayList<>(products.keySet());
        for (String surface : List.of("for-you", "related")) {
            int threads = 64;
            long seconds = Long.getLong("seconds", 10);
            ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(threads);
            long until = System.nanoTime() + seconds * 1_000_000_000L;
            for (int t = 0; t < threads; t++) {
                Thread.ofPlatform().start(() -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    List<Long> mine = new ArrayList<>();
                    while (System.nanoTime() < until) {
                        long c0 = System.nanoTime();
                        if ("for-you".equals(surface)) {
                            recommender.forYou(users.get(r.nextInt(users.size())), "home", 10);
                        } else {
                            recommender.relatedProducts(productIds.get(r.nextInt(productIds.size())), null, 10);
                        }
                        mine.add(System.nanoTime() - c0);
                    }
                    samples.add(mine.stream().mapToLong(Long::longValue).toArray());
                    done.countDown();
                });
            }
            done.await();
            long[] all2 = samples.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
            System.out.printf("%s in process, 64 threads, %d s: %d calls (%.0f/s), p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", surface, seconds,
                              all2.length, all2.length / (double) seconds, all2[all2.length / 2] / 1e6, all2[(int) (all2.length * 0.99)] / 1e6,
                              all2[all2.length - 1] / 1e6);
        }
    }

    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
