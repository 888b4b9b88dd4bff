package plaza.recommend.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import plaza.recommend.sources.InteractionStore;

/**
 * The scheduled rebuild (the seed's Airflow job): under a PostgreSQL advisory lock, so one replica at a time
 * builds; reads items from catalog and recipe and the interactions of the last {@code history}, builds a new
 * version, writes it, and switches {@code active_model} to it atomically. A failure marks the version
 * {@code failed}, leaves the previous version active, and counts in {@code recommend_rebuild_failures_total}
 * (the chart's RecommendRebuildFailing alert); {@code recommend_model_version} is the version this replica serves.
 */
public final class Rebuilder {

    private static final System.Logger LOG = System.getLogger(Rebuilder.class.getName());
    /** pg_advisory_lock key: "recommend" rebuild. */
    static final long LOCK_KEY = 0x7265636F6D6DL;

    public enum Outcome { BUILT, SKIPPED, FAILED }

    public record Result(Outcome outcome, long version, String error) {
    }

    private final DataSource dataSource;
    private final ModelStore store;
    private final InteractionStore interactions;
    private final Supplier<List<Item>> products;
    private final Supplier<List<Item>> recipes;
    private final ModelBuilder builder;
    private final Duration history;
    private final int keep;
    private final Clock clock;
    private final Counter failures;
    private final Counter successes;

    public Rebuilder(DataSource dataSource, ModelStore store, InteractionStore interactions, Supplier<List<Item>> products,
                     Supplier<List<Item>> recipes, ModelBuilder builder, Duration history, int keep, Clock clock,
                     Supplier<Long> servedVersion) {
        this.dataSource = dataSource;
        this.store = store;
        this.interactions = interactions;
        this.products = products;
        this.recipes = recipes;
        this.builder = builder;
        this.history = history;
        this.keep = keep;
        this.clock = clock;
        MeterRegistry registry = Metrics.globalRegistry();
        this.failures = registry.getOrCreate(Counter.builder("recommend.rebuild.failures")
                                                    .description("Model rebuilds that failed; the previous version kept serving"));
        this.successes = registry.getOrCreate(Counter.builder("recommend.rebuild.successes")
                                                     .description("Model rebuilds that built and activated a new version"));
        registry.getOrCreate(Gauge.builder("recommend.model.version", servedVersion, s -> s.get().doubleValue())
                                     .description("The model version this replica serves (0: none yet)"));
    }

    /** Builds and activates a new version unless another replica is building now (then {@link Outcome#SKIPPED}). */
    public Result rebuild() {
        try (Connection lock = dataSource.getConnection()) {
            if (!tryLock(lock)) {
                return new Result(Outcome.SKIPPED, 0, null);
            }
            try {
                return buildLocked();
            } finally {
                unlock(lock);
            }
        } catch (SQLException e) {
            failures.increment();
            LOG.log(System.Logger.Level.WARNING, "Recommend rebuild could not start: " + e.getMessage());
            return new Result(Outcome.FAILED, 0, e.getMessage());
        }
    }

    private Result buildLocked() throws SQLException {
        Instant started = clock.instant();
        long version = store.begin(started);
        try {
            List<Item> items = new ArrayList<>(products.get());
            items.addAll(recipes.get());
            List<Interaction> seen = interactions.since(started.minus(history));
            Model model = builder.build(version, started, items, seen, ModelBuilder.Parts.ALL);
            store.write(model);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("products", items.stream().filter(Item::ofProduct).count());
            summary.put("recipes", items.stream().filter(i -> !i.ofProduct()).count());
            summary.put("interactions", seen.size());
            summary.put("vectors", model.vectors().size());
            summary.put("seconds", Duration.between(started, clock.instant()).toMillis() / 1000.0);
            store.activate(version, clock.instant(), summary, keep);
            successes.increment();
            LOG.log(System.Logger.Level.INFO, "Recommend model version " + version + " built and active: " + summary);
            return new Result(Outcome.BUILT, version, null);
        } catch (RuntimeException | SQLException e) {
            failures.increment();
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "Recommend rebuild of version " + version + " failed; the previous version keeps serving: " + error);
            store.fail(version, clock.instant(), error);
            return new Result(Outcome.FAILED, version, error);
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        }
    }
}
