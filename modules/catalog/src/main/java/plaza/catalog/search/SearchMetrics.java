package plaza.catalog.search;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;
import plaza.platform.observe.Histograms;

/**
 * The search index's meters, one set per JVM (gauges follow the index started last; in production
 * there is one): {@code catalog_search_index_products}, {@code catalog_search_index_revision},
 * {@code catalog_search_index_staleness_seconds} (since the index was last confirmed current),
 * {@code catalog_search_index_rebuild_seconds} (timer: count, sum, max),
 * {@code catalog_search_index_refresh_failures_total}, {@code catalog_search_sql_fallbacks_total}
 * (searches answered by SQL because the index was not loaded yet).
 */
final class SearchMetrics {

    private static final SearchMetrics INSTANCE = new SearchMetrics();

    private final AtomicReference<ProductSearch> current = new AtomicReference<>();
    private final Timer rebuilds;
    private final Counter failures;
    private final Counter fallbacks;

    private SearchMetrics() {
        MeterRegistry registry = Metrics.globalRegistry();
        registry.getOrCreate(Gauge.builder("catalog.search.index.products", current, c -> c.get() == null ? 0 : c.get().indexedProducts())
                                     .description("Products in the search index (0 until loaded)"));
        registry.getOrCreate(Gauge.builder("catalog.search.index.revision", current, c -> c.get() == null ? -1 : c.get().indexedRevision())
                                     .description("product_revision the search index reflects (-1 until loaded)"));
        registry.getOrCreate(Gauge.builder("catalog.search.index.staleness.seconds", current,
                                           c -> c.get() == null ? -1 : c.get().sinceConfirmed().toMillis() / 1000.0)
                                     .description("Seconds since the search index was last confirmed current (-1 until loaded)"));
        rebuilds = Histograms.timer("catalog.search.index.rebuild",
                                    "Full rebuilds of the search index (load from the database + index)", Histograms.SLOW);
        failures = registry.getOrCreate(Counter.builder("catalog.search.index.refresh.failures")
                                                .description("Refreshes that failed; the previous snapshot kept serving"));
        fallbacks = registry.getOrCreate(Counter.builder("catalog.search.sql.fallbacks")
                                                 .description("Searches answered with SQL because the index was not loaded yet"));
    }

    static SearchMetrics get() {
        return INSTANCE;
    }

    void follow(ProductSearch search) {
        current.set(search);
    }

    void rebuilt(Duration took) {
        rebuilds.record(took);
    }

    void refreshFailed() {
        failures.increment();
    }

    void fellBackToSql() {
        fallbacks.increment();
    }
}
