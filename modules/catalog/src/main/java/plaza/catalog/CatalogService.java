package plaza.catalog;

import plaza.platform.events.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.http.HttpRouting;
import plaza.catalog.demo.DemoData;
import plaza.catalog.homeshopping.BroadcastRepository;
import plaza.catalog.homeshopping.ScheduleResource;
import plaza.catalog.products.ProductRepository;
import plaza.catalog.products.ProductResource;
import plaza.catalog.search.ProductSearch;
import plaza.catalog.wishlist.WishlistRepository;
import plaza.catalog.wishlist.WishlistResource;
import plaza.platform.PlazaService;
import plaza.platform.db.Database;
import plaza.platform.security.TokenVerifier;

/**
 * The catalog service: Kok products ({@code /kok}) and the home-shopping schedule
 * ({@code /home-shopping}), on MariaDB. Settings under {@code catalog.*} (docs/catalog.md):
 * {@code zone} (Asia/Seoul), {@code demo-data} (false) and {@code search.refresh-interval} (PT1S: how often the
 * in-memory search index checks for product writes made on other replicas).
 */
public final class CatalogService implements PlazaService {

    private final Database db;
    private final ProductSearch search;
    /** Reports wishlist changes, product views and searches to events ({@code plaza.events.*}; off without a URL). */
    private final EventPublisher events;
    private final ProductResource products;
    private final WishlistResource wishlist;
    private final ScheduleResource schedule;

    private CatalogService(Database db, ProductSearch search, EventPublisher events, ProductResource products,
                           WishlistResource wishlist, ScheduleResource schedule) {
        this.db = db;
        this.events = events;
        this.search = search;
        this.products = products;
        this.wishlist = wishlist;
        this.schedule = schedule;
    }

    public static CatalogService create(Config root, Database db, TokenVerifier tokens) {
        return create(root, db, tokens, Clock.systemUTC());
    }

    /** With a clock of the test's choosing ("live now", "today"). */
    public static CatalogService create(Config root, Database db, TokenVerifier tokens, Clock clock) {
        Config config = root.get("catalog");
        ZoneId zone = ZoneId.of(config.get("zone").asString().orElse("Asia/Seoul"));
        ProductRepository productRepository = new ProductRepository(db.dataSource(), clock);
        BroadcastRepository broadcastRepository = new BroadcastRepository(db.dataSource(), clock, zone);
        var productImport = ProductResource.importer(db.dataSource(), productRepository);
        var broadcastImport = ScheduleResource.importer(db.dataSource(), broadcastRepository, java.time.Duration.ZERO);

        if (config.get("demo-data").asBoolean().orElse(false)) {
            if (productRepository.isEmpty()) {
                productImport.runResource(DemoData.PRODUCTS);
            }
            if (broadcastRepository.isEmpty()) {
                ScheduleResource.importer(db.dataSource(), broadcastRepository, DemoData.shiftToCurrentWeek(clock, zone))
                        .runResource(DemoData.BROADCASTS);
            }
        }
        Duration refresh = config.get("search.refresh-interval").as(Duration.class).orElse(Duration.ofSeconds(1));
        ProductSearch search = ProductSearch.create(productRepository, refresh).start();
        EventPublisher events = EventPublisher.fromConfig(root, "catalog");
        return new CatalogService(db, search, events,
                                  new ProductResource(productRepository, search, tokens, events, productImport),
                                  new WishlistResource(new WishlistRepository(db.dataSource(), clock), tokens, events),
                                  new ScheduleResource(broadcastRepository, tokens, clock, zone, broadcastImport));
    }

    @Override
    public String name() {
        return "catalog";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/kok/wishlist", wishlist);
        routing.register("/kok", products);
        routing.register("/home-shopping", schedule);
    }

    @Override
    public List<HealthCheck> healthChecks() {
        return List.of(db.readiness(), search.readiness());
    }

    /** What reports behaviour to the events service (tests read its counts). */
    public EventPublisher eventPublisher() {
        return events;
    }

    /** Product search (the in-memory index and its refresher). */
    public ProductSearch productSearch() {
        return search;
    }

    @Override
    public void close() {
        events.close();
        search.close();
        db.close();
    }
}
