package plaza.recipe;

import plaza.platform.events.EventPublisher;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.http.HttpRouting;
import plaza.platform.PlazaService;
import plaza.platform.db.Database;
import plaza.platform.http.ServiceClient;
import plaza.platform.imports.JsonLinesImport;
import plaza.platform.security.TokenVerifier;
import plaza.recipe.bookmarks.BookmarkRepository;
import plaza.recipe.bookmarks.BookmarkResource;
import plaza.recipe.products.CatalogProducts;
import plaza.recipe.recipes.RecipeInput;
import plaza.recipe.recipes.RecipeRepository;
import plaza.recipe.recipes.RecipeResource;

/**
 * The recipe service ({@code /recipes}), on MariaDB, asking catalog for Kok products over HTTP.
 * Settings under {@code recipe.*} (docs/recipe.md): {@code catalog-url} (default this process's own
 * {@code http://127.0.0.1:<server.port>}, as in standalone), {@code catalog-timeout} (PT0.5S),
 * {@code products-per-ingredient} (3), {@code demo-data} (false).
 */
public final class RecipeService implements PlazaService {

    public static final String DEMO_RECIPES = "demo/recipe/recipes.jsonl";

    private final Database db;
    private final CatalogProducts products;
    private final AtomicReference<URI> ownPort; // null when catalog-url is configured
    /** Reports bookmark changes, recipe views and searches to events ({@code plaza.events.*}; off without a URL). */
    private final EventPublisher events;
    private final RecipeResource recipes;
    private final BookmarkResource bookmarks;

    private RecipeService(Database db, CatalogProducts products, AtomicReference<URI> ownPort, EventPublisher events,
                          RecipeResource recipes, BookmarkResource bookmarks) {
        this.db = db;
        this.ownPort = ownPort;
        this.products = products;
        this.events = events;
        this.recipes = recipes;
        this.bookmarks = bookmarks;
    }

    public static RecipeService create(Config root, Database db, TokenVerifier tokens) {
        return create(root, db, tokens, Clock.systemUTC());
    }

    public static RecipeService create(Config root, Database db, TokenVerifier tokens, Clock clock) {
        Config config = root.get("recipe");
        // Without a catalog-url, catalog is this process: its port is known for sure only once it listens (port 0).
        Optional<URI> configured = config.get("catalog-url").asString().asOptional().filter(s -> !s.isBlank()).map(URI::create);
        AtomicReference<URI> ownPort = new AtomicReference<>(
                URI.create("http://127.0.0.1:" + root.get("server.port").asInt().orElse(8080)));
        Duration timeout = config.get("catalog-timeout").as(Duration.class).orElse(Duration.ofMillis(500));
        ServiceClient client = ServiceClient.builder("catalog")
                .baseUri(configured.isPresent() ? configured::get : ownPort::get)
                .timeout(timeout)
                .failuresToOpen(config.get("catalog-failures-to-open").asInt().orElse(5))
                .openFor(config.get("catalog-open-for").as(Duration.class).orElse(Duration.ofSeconds(5)))
                .build();
        CatalogProducts products = new CatalogProducts(client, config.get("products-per-ingredient").asInt().orElse(3));

        RecipeRepository recipeRepository = new RecipeRepository(db.dataSource(), clock);
        JsonLinesImport<RecipeInput> importer = RecipeResource.importer(db.dataSource(), recipeRepository);
        if (config.get("demo-data").asBoolean().orElse(false) && recipeRepository.isEmpty()) {
            importer.runResource(DEMO_RECIPES);
        }
        EventPublisher events = EventPublisher.fromConfig(root, "recipe");
        return new RecipeService(db, products, configured.isPresent() ? null : ownPort, events,
                                 new RecipeResource(recipeRepository, products, tokens, events, importer),
                                 new BookmarkResource(new BookmarkRepository(db.dataSource(), recipeRepository, clock), tokens, events));
    }

    @Override
    public String name() {
        return "recipe";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/recipes/bookmarks", bookmarks);
        routing.register("/recipes", recipes);
    }

    @Override
    public void started(int port) {
        if (ownPort != null) {
            ownPort.set(URI.create("http://127.0.0.1:" + port));
        }
    }

    @Override
    public List<HealthCheck> healthChecks() {
        return List.of(db.readiness());
    }

    @Override
    public void close() {
        events.close();
        products.close();
        db.close();
    }
}
