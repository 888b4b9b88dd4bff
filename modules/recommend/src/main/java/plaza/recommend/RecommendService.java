package plaza.recommend;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.scheduling.Scheduling;
import io.helidon.webserver.http.HttpRouting;
import plaza.platform.PlazaService;
import plaza.platform.db.Database;
import plaza.platform.http.ServiceClient;
import plaza.platform.security.TokenVerifier;
import plaza.recommend.model.Item;
import plaza.recommend.model.Item2Vec;
import plaza.recommend.model.KoreanText;
import plaza.recommend.model.Model;
import plaza.recommend.model.ModelBuilder;
import plaza.recommend.model.ModelStore;
import plaza.recommend.model.Rebuilder;
import plaza.recommend.serve.Availability;
import plaza.recommend.serve.RecommendResource;
import plaza.recommend.serve.Recommender;
import plaza.recommend.sources.Catalog;
import plaza.recommend.sources.FeedReader;
import plaza.recommend.sources.InteractionStore;
import plaza.recommend.sources.Recipes;
import plaza.recommend.sources.ServiceToken;

/**
 * The recommend service ({@code /recommend}, PostgreSQL): personalised products and recipes. Behaviour comes
 * from events' {@code /events/feed} (as an OAuth client), products and recipes from catalog's and recipe's
 * HTTP APIs. Background work: the feed read every {@code feed-poll}, stock and on-air refreshed every
 * {@code catalog-refresh}, the active model version checked every {@code model-poll}, a rebuild on
 * {@code rebuild-cron} (one replica at a time). Settings in {@link RecommendSettings} (docs/recommend.md).
 */
public final class RecommendService implements PlazaService {

    private static final System.Logger LOG = System.getLogger(RecommendService.class.getName());

    private final Database db;
    private final RecommendSettings settings;
    private final ServiceClient catalogClient;
    private final ServiceClient recipeClient;
    private final ServiceClient eventsClient;
    private final Catalog catalog;
    private final FeedReader feed;
    private final ModelStore store;
    private final InteractionStore interactions;
    private final Rebuilder rebuilder;
    private final AtomicReference<Model> model = new AtomicReference<>(Model.empty());
    private final AtomicReference<Availability> availability = new AtomicReference<>(Availability.unknown());
    private final ConcurrentLinkedQueue<InteractionStore.Impression> pendingImpressions = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService background;
    private final ScheduledExecutorService cron;
    private final RecommendResource resource;

    private RecommendService(Config root, Database db, TokenVerifier tokens, ServiceToken feedToken, Clock clock) {
        this.db = db;
        this.settings = RecommendSettings.from(root);
        this.catalogClient = client("catalog", settings.catalogUrl());
        this.recipeClient = client("recipe", settings.recipeUrl());
        this.eventsClient = client("events", settings.eventsUrl());
        this.catalog = new Catalog(catalogClient);
        Recipes recipes = new Recipes(recipeClient);
        ServiceToken token = feedToken != null ? feedToken
                : ServiceToken.clientCredentials(settings.tokenUrl(), settings.clientId(), settings.clientSecret(), "events:read",
                                                 settings.callTimeout());
        this.interactions = new InteractionStore(db.dataSource());
        this.feed = new FeedReader(db.dataSource(), eventsClient, token, settings.feedPage());
        this.store = new ModelStore(db.dataSource());
        ModelBuilder builder = new ModelBuilder(new KoreanText(), settings.neighbours(), settings.halfLife(),
                                                new Item2Vec(settings.dimensions(), 5, 5, settings.epochs(), settings.seed()));
        this.rebuilder = new Rebuilder(db.dataSource(), store, interactions, this::productsForRebuild, recipes::recipes, builder,
                                       settings.history(), settings.keepVersions(), clock, () -> model.get().version());
        Metrics.globalRegistry().getOrCreate(Gauge.builder("recommend.catalog.stale", availability, a -> a.get().stale() ? 1 : 0)
                                                     .description("1 while the last refresh of stock and on-air products from catalog failed"));
        Metrics.globalRegistry().getOrCreate(Gauge.builder("recommend.model.built.seconds", model, m -> m.get().builtAt().getEpochSecond())
                                                     .description("When the model version served was built (epoch seconds; 0: none yet)"));
        Recommender recommender = new Recommender(model::get, availability::get, interactions, pendingImpressions::add,
                                                  settings.maxPerCategory(), settings.recentEvents(), clock);
        this.resource = new RecommendResource(recommender, interactions, tokens, this::modelState, this::rebuild);
        reloadModel();

        this.background = Executors.newScheduledThreadPool(2, r -> Thread.ofPlatform().name("recommend-background").daemon(true).unstarted(r));
        background.scheduleWithFixedDelay(quietly("reading the events feed", this::pollFeed), 1000, settings.feedPoll().toMillis(), TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(quietly("refreshing the catalog", this::refreshCatalogOrThrow), 1000, settings.catalogRefresh().toMillis(), TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(quietly("checking the model version", this::reloadModel), settings.modelPoll().toMillis(),
                                          settings.modelPoll().toMillis(), TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(quietly("writing impressions", this::flushImpressions), 500, 500, TimeUnit.MILLISECONDS);
        if (settings.rebuildOnStart()) {
            // Until some replica has built a first model (the other services may still be starting): every 3 s.
            background.scheduleWithFixedDelay(quietly("building the first model", () -> {
                if (reloadModel() == 0) {
                    pollFeed();
                    rebuild();
                }
            }), 2, 3, TimeUnit.SECONDS);
        }
        this.cron = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("recommend-rebuild").daemon(true).unstarted(r));
        Scheduling.cron().executor(cron).expression(settings.rebuildCron()).concurrentExecution(false)
                .task(invocation -> rebuild()).build();
    }

    public static RecommendService create(Config root, Database db, TokenVerifier tokens) {
        return new RecommendService(root, db, tokens, null, Clock.systemUTC());
    }

    /** With the feed's token given by the embedding code (tests), instead of client credentials from config. */
    public static RecommendService create(Config root, Database db, TokenVerifier tokens, ServiceToken feedToken) {
        return new RecommendService(root, db, tokens, feedToken, Clock.systemUTC());
    }

    private ServiceClient client(String target, java.net.URI base) {
        return ServiceClient.builder(target).baseUri(base).timeout(settings.callTimeout()).failuresToOpen(0).build();
    }

    /** Runs a background task; the first failure of a streak is a warning, the repeats are DEBUG (no log flood). */
    private static Runnable quietly(String what, Task task) {
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            try {
                task.run();
                if (failing.getAndSet(false)) {
                    LOG.log(System.Logger.Level.INFO, "recommend: " + what + " works again");
                }
            } catch (Exception | Error e) {
                LOG.log(failing.getAndSet(true) ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                        "recommend: " + what + " failed (retried): " + e.getMessage());
            }
        };
    }

    private interface Task {
        void run() throws Exception;
    }

    private List<Item> productsForRebuild() {
        List<Item> products = catalog.products();
        Map<Long, Item> byId = new LinkedHashMap<>();
        products.forEach(p -> byId.put(p.id(), p));
        availability.set(new Availability(byId, availability.get().onAir(), java.time.Instant.now(), false));
        return products;
    }

    /** Reads the events feed up to its end; how many events were read. */
    public int pollFeed() throws SQLException {
        return feed.poll();
    }

    /** Refreshes stock and on-air products from catalog; on failure the last state stays, marked stale. */
    public boolean refreshCatalog() {
        try {
            List<Item> products = catalog.products();
            Map<Long, Item> byId = new LinkedHashMap<>();
            products.forEach(p -> byId.put(p.id(), p));
            availability.set(new Availability(byId, catalog.onAir(), java.time.Instant.now(), false));
            return true;
        } catch (ServiceClient.CallFailedException e) {
            availability.set(availability.get().failed());
            LOG.log(System.Logger.Level.DEBUG, "recommend: catalog refresh failed; answering from the last known products: " + e.getMessage());
            return false;
        }
    }

    private void refreshCatalogOrThrow() {
        if (!refreshCatalog()) {
            throw new IllegalStateException("catalog did not answer");
        }
    }

    /** Builds a new model version now (unless another replica is building). */
    public Rebuilder.Result rebuild() {
        Rebuilder.Result result = rebuilder.rebuild();
        reloadModel();
        return result;
    }

    /** Loads the active model version if this replica serves another; the version served now. */
    public long reloadModel() {
        try {
            long active = store.activeVersion().orElse(0L);
            if (active != 0 && active != model.get().version()) {
                model.set(store.load(active));
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "recommend: loading the active model failed; the current one keeps serving: " + e.getMessage());
        }
        return model.get().version();
    }

    public void flushImpressions() throws SQLException {
        List<InteractionStore.Impression> batch = new ArrayList<>();
        InteractionStore.Impression i;
        while ((i = pendingImpressions.poll()) != null && batch.size() < 10_000) {
            batch.add(i);
        }
        if (!batch.isEmpty()) {
            interactions.impressions(batch);
        }
    }

    public long servedVersion() {
        return model.get().version();
    }

    private Map<String, Object> modelState() {
        Map<String, Object> state = new LinkedHashMap<>();
        Model m = model.get();
        state.put("servedVersion", m.version());
        state.put("builtAt", m.version() == 0 ? null : m.builtAt().toString());
        state.put("items", m.items().size());
        state.put("catalogStale", availability.get().stale());
        try {
            state.put("activeVersion", store.activeVersion().orElse(null));
            state.put("versions", store.versions(10));
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the model versions failed", e);
        }
        return state;
    }

    @Override
    public String name() {
        return "recommend";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/recommend", resource);
    }

    @Override
    public List<HealthCheck> healthChecks() {
        return List.of(db.readiness());
    }

    @Override
    public void close() {
        cron.shutdownNow();
        background.shutdownNow();
        try {
            flushImpressions();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "recommend: impressions not written at close: " + e.getMessage());
        }
        catalogClient.close();
        recipeClient.close();
        eventsClient.close();
        db.close();
    }
}
