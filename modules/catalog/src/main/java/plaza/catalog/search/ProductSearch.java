package plaza.catalog.search;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import plaza.catalog.products.Product;
import plaza.catalog.products.ProductQuery;
import plaza.catalog.products.ProductRepository;

/**
 * Product search as the API serves it: the current {@link ProductIndex} snapshot, kept fresh.
 *
 * <ul>
 *   <li>Loaded off-thread at {@link #start()}; {@link #readiness()} is DOWN until the first load finished.
 *       Until then searches go to the SQL ({@link ProductRepository#search}), so answers are never wrong.</li>
 *   <li>Writes on this replica call {@link #refreshAfterWrite()} right after their commit: the caller waits
 *       for a snapshot that includes its write (read-your-writes on this replica).</li>
 *   <li>Writes on other replicas: every {@code refresh-interval} the {@code product_revision} marker is read
 *       (one primary-key row); when it moved, the whole index is rebuilt and swapped in atomically.</li>
 *   <li>A failed refresh keeps serving the previous snapshot, is logged and counted, and is retried at
 *       the next interval.</li>
 * </ul>
 * Searching never blocks and never touches the database once loaded.
 */
public final class ProductSearch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ProductSearch.class.getName());

    /** Where snapshots come from: the database in production, something controllable in tests. */
    public interface Source {
        /** The change marker now (cheap). */
        long revision();

        /** A complete snapshot with the revision it reflects. */
        ProductIndex load();

        /** SQL search, used only while no snapshot is loaded. */
        ProductRepository.Page search(ProductQuery query);

        /** SQL keyword lookup, used only while no snapshot is loaded. */
        Map<String, List<Product>> byKeywords(List<String> keywords, int limit);
    }

    private final Source source;
    private final Duration interval;
    private final ReentrantLock rebuildLock = new ReentrantLock();
    private final ScheduledExecutorService refresher;
    private volatile ProductIndex current;
    private volatile long confirmedAtNanos;
    private volatile Duration lastRebuild = Duration.ZERO;
    private volatile boolean lastRefreshFailed;

    private ProductSearch(Source source, Duration interval) {
        this.source = source;
        this.interval = interval;
        this.refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("catalog-search-refresh").factory());
    }

    /** Search over the products of {@code repository}; call {@link #start()} to load it. */
    public static ProductSearch create(ProductRepository repository, Duration refreshInterval) {
        return create(new Source() {
            @Override
            public long revision() {
                return repository.revision();
            }

            @Override
            public ProductIndex load() {
                return ProductIndex.load(repository);
            }

            @Override
            public ProductRepository.Page search(ProductQuery query) {
                return repository.search(query);
            }

            @Override
            public Map<String, List<Product>> byKeywords(List<String> keywords, int limit) {
                return repository.byKeywords(keywords, limit);
            }
        }, refreshInterval);
    }

    public static ProductSearch create(Source source, Duration refreshInterval) {
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("catalog.search.refresh-interval must be positive, not " + refreshInterval);
        }
        return new ProductSearch(source, refreshInterval);
    }

    /** Starts the first load now and the polling after it; answers at once. */
    public ProductSearch start() {
        SearchMetrics.get().follow(this);
        refresher.scheduleWithFixedDelay(this::poll, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    public ProductRepository.Page search(ProductQuery query) {
        ProductIndex index = current;
        if (index == null) {
            SearchMetrics.get().fellBackToSql();
            return source.search(query);
        }
        return index.search(query);
    }

    /** {@code query}'s page as positions in the current snapshot (its JSON is ready-made); null while none is loaded. */
    public ProductIndex.Hits hits(ProductQuery query) {
        ProductIndex index = current;
        return index == null ? null : index.hits(query);
    }

    public Map<String, List<Product>> byKeywords(List<String> keywords, int limit) {
        ProductIndex index = current;
        if (index == null) {
            SearchMetrics.get().fellBackToSql();
            return source.byKeywords(keywords, limit);
        }
        return index.byKeywords(keywords, limit);
    }

    /**
     * After a product write on this replica committed: rebuild now (unless a rebuild that started after the
     * commit already covers it), so this replica's next search sees the write. A failure here does not fail
     * the write: it is logged and counted, and the poll catches up.
     */
    public void refreshAfterWrite() {
        try {
            refreshIfMoved();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** True once the first snapshot is loaded (what readiness reports). */
    public boolean loaded() {
        return current != null;
    }

    /** Waits up to {@code timeout} for the first snapshot; true when it is there. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (current == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return current != null;
    }

    /** The snapshot searches use now (null until loaded). */
    public ProductIndex snapshot() {
        return current;
    }

    /** How long the last full rebuild took (load + index). */
    public Duration lastRebuild() {
        return lastRebuild;
    }

    int indexedProducts() {
        ProductIndex index = current;
        return index == null ? 0 : index.size();
    }

    long indexedRevision() {
        ProductIndex index = current;
        return index == null ? -1 : index.revision();
    }

    Duration sinceConfirmed() {
        return Duration.ofNanos(System.nanoTime() - confirmedAtNanos);
    }

    /** Readiness {@code catalog-search}: DOWN until the first snapshot is loaded. */
    public HealthCheck readiness() {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public String name() {
                return "catalog-search";
            }

            @Override
            public HealthCheckResponse call() {
                ProductIndex index = current;
                HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(index != null);
                if (index == null) {
                    return b.detail("index", "loading").build();
                }
                return b.detail("products", index.size())
                        .detail("revision", index.revision())
                        .detail("stalenessMillis", sinceConfirmed().toMillis())
                        .detail("lastRefreshFailed", lastRefreshFailed)
                        .build();
            }
        };
    }

    private void poll() {
        try {
            refreshIfMoved();
        } catch (RuntimeException e) {
            failed(e);
        } catch (Error e) {
            LOG.log(Level.ERROR, "Search index refresh hit an error; polling goes on", e);
            lastRefreshFailed = true;
        }
    }

    /** Rebuilds when the marker differs from the snapshot's (or there is none); one rebuild at a time. */
    private void refreshIfMoved() {
        rebuildLock.lock();
        try {
            long checkedAt = System.nanoTime();
            ProductIndex index = current;
            if (index != null && source.revision() == index.revision()) {
                confirmedAtNanos = checkedAt;
                lastRefreshFailed = false;
                return;
            }
            ProductIndex fresh = source.load();
            Duration took = Duration.ofNanos(System.nanoTime() - checkedAt);
            current = fresh;
            confirmedAtNanos = checkedAt;
            lastRebuild = took;
            lastRefreshFailed = false;
            SearchMetrics.get().rebuilt(took);
            LOG.log(index == null ? Level.INFO : Level.DEBUG, "Search index " + (index == null ? "loaded" : "rebuilt") + ": "
                    + fresh.size() + " products at revision " + fresh.revision() + " in " + took.toMillis() + " ms");
        } finally {
            rebuildLock.unlock();
        }
    }

    private void failed(RuntimeException e) {
        lastRefreshFailed = true;
        SearchMetrics.get().refreshFailed();
        LOG.log(Level.WARNING, "Search index refresh failed; " + (current == null ? "still not loaded (searches use SQL)"
                : "serving the snapshot at revision " + current.revision()) + ": " + e.getMessage());
    }

    /** Stops polling (searches keep working on the last snapshot). */
    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
