package plaza.events.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import plaza.events.store.EventRow;
import plaza.events.store.EventWriter;
import plaza.events.store.Partitions;
import plaza.platform.http.Json;

/**
 * A month of demo behaviour: {@link #SHOPPERS} synthetic shoppers ({@code demo-shopper-001}…) with stable hidden
 * tastes — two favourite product categories and one favourite keyword each, known only here — who view,
 * search, wishlist, put in the cart, order, and view and bookmark recipes over the demo products and recipes.
 * Deterministic: the same seed and end time give the same events. Loaded on first start (empty events table)
 * when {@code events.demo-data} is true (standalone). It reads the demo products and recipes from the
 * classpath ({@code demo/catalog/products.jsonl}, {@code demo/recipe/recipes.jsonl}: catalog's and recipe's
 * jars, both present in standalone).
 */
public final class DemoActivity {

    private static final System.Logger LOG = System.getLogger(DemoActivity.class.getName());
    public static final int SHOPPERS = 300;
    public static final long SEED = 20261208L;

    /** A demo product: what a taste is made of. */
    public record Product(long id, String category, List<String> keywords, double popularity) {
    }

    /** A demo recipe with the demo products that sell its ingredients. */
    public record Recipe(long id, List<Long> productIds) {
    }

    /** A shopper's hidden taste. */
    public record Taste(List<String> categories, String keyword) {
    }

    private DemoActivity() {
    }

    /** Writes the demo month through events' own writer unless events already has any event. */
    public static void loadIfEmpty(DataSource events, boolean outbox) {
        try (Connection c = events.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM events)")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Checking for events failed: " + e.getMessage(), e);
        }
        List<Product> products = products(resource("demo/catalog/products.jsonl"));
        List<Recipe> recipes = recipes(resource("demo/recipe/recipes.jsonl"), products);
        List<EventRow> rows = generate(products, recipes, SEED, Instant.now());
        Partitions partitions = new Partitions(events, Clock.systemUTC(), Duration.ofDays(400), 3);
        try (EventWriter writer = new EventWriter(events, partitions, Duration.ofMillis(2), 5000, rows.size() + 1, outbox)) {
            for (int i = 0; i < rows.size(); i += 5000) {
                writer.submit(rows.subList(i, Math.min(rows.size(), i + 5000))).get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Writing the demo activity failed: " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, "Demo activity: " + rows.size() + " events of " + SHOPPERS + " shoppers over 30 days");
    }

    private static List<String> resource(String name) {
        InputStream in = DemoActivity.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath (catalog's and recipe's jars carry the demo data)");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Product> products(List<String> lines) {
        List<Product> products = new ArrayList<>();
        for (String line : lines) {
            JsonNode p = Json.parse(line);
            List<String> keywords = new ArrayList<>();
            p.path("keywords").forEach(k -> keywords.add(k.asText()));
            products.add(new Product(p.path("id").asLong(), p.path("category").asText(), keywords, p.path("reviewCount").asDouble(1)));
        }
        return products;
    }

    /** Recipes with the products whose keywords name one of their ingredients' words. */
    public static List<Recipe> recipes(List<String> lines, List<Product> products) {
        List<Recipe> recipes = new ArrayList<>();
        for (String line : lines) {
            JsonNode r = Json.parse(line);
            List<Long> ids = new ArrayList<>();
            for (JsonNode ingredient : r.path("ingredients")) {
                for (String word : ingredient.path("name").asText().split("\\s+")) {
                    for (Product p : products) {
                        if (p.keywords().contains(word) && !ids.contains(p.id())) {
                            ids.add(p.id());
                            break;
                        }
                    }
                }
            }
            recipes.add(new Recipe(r.path("id").asLong(), ids));
        }
        return recipes;
    }

    /** Each shopper's hidden taste, from the seed. */
    public static Map<String, Taste> tastes(List<Product> products, long seed) {
        return tastes(products, seed, SHOPPERS);
    }

    public static Map<String, Taste> tastes(List<Product> products, long seed, int shoppers) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> categories = products.stream().map(Product::category).distinct().sorted().toList();
        Map<String, Taste> tastes = new LinkedHashMap<>();
        for (int s = 1; s <= shoppers; s++) {
            String first = categories.get(random.nextInt(categories.size()));
            String second = categories.get(random.nextInt(categories.size()));
            List<Product> inFirst = products.stream().filter(p -> p.category().equals(first) && !p.keywords().isEmpty()).toList();
            String keyword = inFirst.isEmpty() ? "" : inFirst.get(random.nextInt(inFirst.size())).keywords().getFirst();
            tastes.put(shopper(s), new Taste(List.of(first, second), keyword));
        }
        return tastes;
    }

    static String shopper(int n) {
        return "demo-shopper-%03d".formatted(n);
    }

    private static double affinity(Taste taste, Product p) {
        double a = taste.categories().contains(p.category()) ? 3 : 0.05;
        if (p.keywords().contains(taste.keyword())) {
            a *= 4;
        }
        return a * Math.sqrt(1 + p.popularity());
    }

    /** The month's events, oldest first, ending at {@code end}. */
    public static List<EventRow> generate(List<Product> products, List<Recipe> recipes, long seed, Instant end) {
        return generate(products, recipes, seed, end, SHOPPERS);
    }

    /** The same with {@code shoppers} shoppers (the bench's large runs). */
    public static List<EventRow> generate(List<Product> products, List<Recipe> recipes, long seed, Instant end, int shoppers) {
        Map<String, Taste> tastes = tastes(products, seed, shoppers);
        Map<Long, Product> byId = new LinkedHashMap<>();
        products.forEach(p -> byId.put(p.id(), p));
        SplittableRandom random = new SplittableRandom(seed + 1);
        List<EventRow> rows = new ArrayList<>();
        Instant start = end.minus(Duration.ofDays(30));
        long[] counter = {0};
        for (Map.Entry<String, Taste> entry : tastes.entrySet()) {
            String user = entry.getKey();
            Taste taste = entry.getValue();
            double[] productWeights = products.stream().mapToDouble(p -> affinity(taste, p)).toArray();
            double[] recipeWeights = recipes.stream().mapToDouble(r -> {
                double sum = 0.01;
                for (long id : r.productIds()) {
                    Product p = byId.get(id);
                    sum += p == null ? 0 : affinity(taste, p);
                }
                return sum / Math.max(1, r.productIds().size());
            }).toArray();
            int sessions = 3 + random.nextInt(10);
            List<Instant> starts = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                starts.add(start.plusSeconds(random.nextLong(Duration.ofDays(30).toSeconds() - 3600)));
            }
            starts.sort(null);
            for (Instant at : starts) {
                Instant t = at;
                List<Long> cart = new ArrayList<>();
                int actions = 3 + random.nextInt(8);
                for (int a = 0; a < actions; a++) {
                    t = t.plusSeconds(20 + random.nextInt(240));
                    double roll = random.nextDouble();
                    if (roll < 0.12 && !taste.keyword().isEmpty()) {
                        rows.add(row(counter, user, "Products Searched", Map.of("query", taste.keyword()), t));
                    } else if (roll < 0.30 && !recipes.isEmpty()) {
                        Recipe r = recipes.get(pick(random, recipeWeights));
                        rows.add(row(counter, user, "Recipe Viewed", Map.of("recipeId", r.id()), t));
                        if (random.nextDouble() < 0.2) {
                            rows.add(row(counter, user, "Recipe Bookmarked", Map.of("recipeId", r.id()), t.plusSeconds(5)));
                        }
                    } else {
                        Product p = products.get(pick(random, productWeights));
                        rows.add(row(counter, user, "Product Viewed", Map.of("productId", p.id()), t));
                        double next = random.nextDouble();
                        if (next < 0.10) {
                            rows.add(row(counter, user, "Product Added to Wishlist", Map.of("productId", p.id()), t.plusSeconds(3)));
                        } else if (next < 0.35) {
                            rows.add(row(counter, user, "Product Added", Map.of("productId", p.id()), t.plusSeconds(3)));
                            cart.add(p.id());
                        }
                    }
                }
                if (!cart.isEmpty() && random.nextDouble() < 0.6) {
                    List<Map<String, Object>> lines = cart.stream().distinct().map(id -> Map.<String, Object>of("productId", id)).toList();
                    rows.add(row(counter, user, "Order Completed", Map.of("orderId", "demo-order-" + counter[0], "products", lines), t.plusSeconds(60)));
                }
            }
        }
        rows.sort(java.util.Comparator.comparing(EventRow::ts).thenComparing(EventRow::messageId));
        return rows;
    }

    private static int pick(SplittableRandom random, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x <= 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static EventRow row(long[] counter, String user, String event, Map<String, Object> properties, Instant ts) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.set("properties", Json.MAPPER.valueToTree(properties));
        String messageId = "demo-" + (++counter[0]);
        return new EventRow(messageId, "track", event, user, null, ts, ts, ts, ts, payload.toString());
    }
}
