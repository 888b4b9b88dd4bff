package plaza.catalog;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.helidon.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import plaza.catalog.products.Product;
import plaza.catalog.products.ProductQuery;
import plaza.catalog.products.ProductRepository;
import plaza.catalog.search.ProductIndex;
import plaza.catalog.search.ProductSearch;
import plaza.platform.db.SearchKeys;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/** Loading, readiness, SQL fallback and failed refreshes of {@link ProductSearch}, with a source the test controls. */
class ProductSearchLifecycleTest {

    private static final ProductQuery TOFU = new ProductQuery("두부", List.of("두부"), null, null, null, ProductQuery.Sort.RELEVANCE, 1, 20);

    /** A fake database: a revision, products by name, a latch the load waits on, and a switch to make it fail. */
    private static final class FakeSource implements ProductSearch.Source {
        final AtomicLong revision = new AtomicLong(1);
        volatile List<String> names = List.of("유기농 두부");
        final CountDownLatch loadMayFinish = new CountDownLatch(1);
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger sqlSearches = new AtomicInteger();

        @Override
        public long revision() {
            if (failing.get()) {
                throw new IllegalStateException("database unreachable (test)");
            }
            return revision.get();
        }

        @Override
        public ProductIndex load() {
            try {
                loadMayFinish.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failing.get()) {
                throw new IllegalStateException("database unreachable (test)");
            }
            loads.incrementAndGet();
            long id = 1;
            java.util.ArrayList<ProductRepository.SearchRow> rows = new java.util.ArrayList<>();
            for (String name : names) {
                Product p = new Product(id++, name, "", "두부/콩", 1000, 1000, 0, null, 1, null, BigDecimal.ONE, 0, List.of(),
                                        Instant.EPOCH, Instant.EPOCH);
                rows.add(new ProductRepository.SearchRow(p, SearchKeys.key(name), SearchKeys.record(List.of(name, "", "두부/콩"))));
            }
            return ProductIndex.of(revision.get(), rows);
        }

        @Override
        public ProductRepository.Page search(ProductQuery query) {
            sqlSearches.incrementAndGet();
            return new ProductRepository.Page(List.of(), -1);
        }

        @Override
        public Map<String, List<Product>> byKeywords(List<String> keywords, int limit) {
            sqlSearches.incrementAndGet();
            return Map.of();
        }
    }

    @Test
    void readinessIsDownAndSearchUsesSqlUntilTheFirstLoadFinishes() throws Exception {
        FakeSource source = new FakeSource();
        try (ProductSearch search = ProductSearch.create(source, Duration.ofMillis(50)).start()) {
            Thread.sleep(200); // the load is under way and blocked
            HealthCheckResponse before = search.readiness().call();
            assertThat(before.status(), is(HealthCheckResponse.Status.DOWN));
            assertThat(search.loaded(), is(false));
            assertThat(search.search(TOFU).total(), is(-1L)); // answered by the (fake) SQL
            assertThat(source.sqlSearches.get(), is(1));

            source.loadMayFinish.countDown();
            assertThat(search.awaitLoaded(Duration.ofSeconds(10)), is(true));
            assertThat(search.readiness().call().status(), is(HealthCheckResponse.Status.UP));
            assertThat(search.search(TOFU).items().stream().map(Product::name).toList(), contains("유기농 두부"));
            assertThat(source.sqlSearches.get(), is(1)); // no more SQL
        }
    }

    @Test
    void aFailedRefreshKeepsServingTheOldSnapshotAndRecovers() throws Exception {
        FakeSource source = new FakeSource();
        source.loadMayFinish.countDown();
        try (ProductSearch search = ProductSearch.create(source, Duration.ofMillis(50)).start()) {
            assertThat(search.awaitLoaded(Duration.ofSeconds(10)), is(true));
            int loadsBefore = source.loads.get();

            source.failing.set(true);
            source.names = List.of("유기농 두부", "부침 두부");
            source.revision.incrementAndGet();
            Thread.sleep(300); // several failed polls
            assertThat(search.search(TOFU).total(), is(1L)); // the old snapshot, not an error
            HealthCheckResponse during = search.readiness().call();
            assertThat(during.status(), is(HealthCheckResponse.Status.UP));
            assertThat(during.details().get("lastRefreshFailed"), is(true));
            search.refreshAfterWrite(); // a local write's refresh failing does not throw either
            assertThat(source.loads.get(), is(loadsBefore));

            source.failing.set(false);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (search.search(TOFU).total() != 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(search.search(TOFU).total(), is(2L));
            assertThat(search.readiness().call().details().get("lastRefreshFailed"), is(false));
        }
    }

    @Test
    void anUnchangedRevisionDoesNotRebuild() throws Exception {
        FakeSource source = new FakeSource();
        source.loadMayFinish.countDown();
        try (ProductSearch search = ProductSearch.create(source, Duration.ofMillis(20)).start()) {
            assertThat(search.awaitLoaded(Duration.ofSeconds(10)), is(true));
            Thread.sleep(300); // ~15 polls
            assertThat(source.loads.get(), is(1));
            source.revision.incrementAndGet();
            search.refreshAfterWrite();
            assertThat(source.loads.get(), is(2));
            search.refreshAfterWrite(); // nothing moved since: no rebuild
            assertThat(source.loads.get(), is(2));
            assertThat(search.lastRebuild().toNanos(), greaterThan(0L));
        }
    }

    @Test
    void refreshIntervalMustBePositive() {
        try {
            ProductSearch.create(new FakeSource(), Duration.ZERO);
            throw new AssertionError("PT0S accepted");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage().contains("refresh-interval"), is(true));
        }
    }
}
