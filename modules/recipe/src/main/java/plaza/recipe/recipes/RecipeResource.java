package plaza.recipe.recipes;

import plaza.platform.events.EventPublisher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.db.SearchKeys;
import plaza.platform.http.ConditionalGet;
import plaza.platform.http.Json;
import plaza.platform.http.PageLinks;
import plaza.platform.http.PathParams;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.imports.JsonLinesImport;
import plaza.platform.security.TokenVerifier;
import plaza.recipe.products.CatalogProducts;

/**
 * {@code /recipes}: search, detail (with Kok products per ingredient from catalog), "what can I
 * cook" by ingredients at hand; create, update, delete and JSON Lines import for admins.
 */
public final class RecipeResource implements HttpService {

    public static final int MAX_HAVE = 30;

    private final RecipeRepository recipes;
    private final CatalogProducts products;
    private final TokenVerifier tokens;
    private final EventPublisher events;
    private final JsonLinesImport<RecipeInput> importer;

    public RecipeResource(RecipeRepository recipes, CatalogProducts products, TokenVerifier tokens, EventPublisher events,
                          JsonLinesImport<RecipeInput> importer) {
        this.recipes = recipes;
        this.events = events;
        this.products = products;
        this.tokens = tokens;
        this.importer = importer;
    }

    /** The import that both the admin endpoint and the demo data go through. */
    public static JsonLinesImport<RecipeInput> importer(javax.sql.DataSource dataSource, RecipeRepository recipes) {
        return new JsonLinesImport<>(dataSource, RecipeInput::from, recipes::upsert);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::search)
                .post("/", tokens.requireRole("admin", this::create))
                .any("/", Problems.methodNotAllowed("GET", "POST"))
                .get("/by-ingredients", this::byIngredients)
                .any("/by-ingredients", Problems.methodNotAllowed("GET"))
                .post("/import", tokens.requireRole("admin", (req, res) -> Json.send(res, importer.run(req))))
                .any("/import", Problems.methodNotAllowed("POST"))
                .get("/{id}", this::get)
                .put("/{id}", tokens.requireRole("admin", this::update))
                .delete("/{id}", tokens.requireRole("admin", this::delete))
                .any("/{id}", Problems.methodNotAllowed("GET", "PUT", "DELETE"));
    }

    /** A page of a recipe list; {@code totalPages} as catalog's product pages have it. */
    public record SearchResult<T>(List<T> items, int page, int size, long total, long totalPages) {

        static <T> SearchResult<T> of(List<T> items, int page, int size, long total) {
            return new SearchResult<>(items, page, size, total, (total + size - 1) / size);
        }
    }

    private static <T> void sendPage(ServerRequest req, ServerResponse res, SearchResult<T> page) {
        PageLinks.set(req, res, page.page(), page.totalPages());
        ConditionalGet.send(req, res, page);
    }

    private void search(ServerRequest req, ServerResponse res) {
        Optional<String> q = QueryParams.string(req, "q", 100);
        List<String> terms = q.map(s -> SearchKeys.terms(s, 8)).orElse(List.of());
        String tag = QueryParams.string(req, "tag", 40).orElse(null);
        Integer maxMinutes = QueryParams.longValue(req, "maxMinutes", 1, 1440).map(Long::intValue).orElse(null);
        int page = QueryParams.integer(req, "page", 1, 1, 10_000);
        int size = QueryParams.integer(req, "size", 20, 1, 100);
        var result = recipes.search(new RecipeRepository.Query(SearchKeys.key(q.orElse("")), terms, tag, maxMinutes, page, size));
        if (q.isPresent() && !q.get().isBlank() && page == 1) {
            events.track(req, tokens, "Recipes Searched", java.util.Map.of("query", q.get(), "results", result.total()));
        }
        sendPage(req, res, SearchResult.of(result.items(), page, size, result.total()));
    }

    private void byIngredients(ServerRequest req, ServerResponse res) {
        String raw = QueryParams.string(req, "have", 1000)
                .orElseThrow(() -> QueryParams.invalid("have", "is required: the ingredients you have, comma-separated"));
        LinkedHashSet<String> have = new LinkedHashSet<>();
        for (String part : raw.split(",")) {
            String key = SearchKeys.key(part);
            if (key.codePointCount(0, key.length()) > 50) {
                throw QueryParams.invalid("have", "each ingredient must be at most 50 characters");
            }
            if (!key.isEmpty()) {
                have.add(key);
            }
        }
        if (have.isEmpty()) {
            throw QueryParams.invalid("have", "must name at least one ingredient");
        }
        if (have.size() > MAX_HAVE) {
            throw QueryParams.invalid("have", "at most " + MAX_HAVE + " ingredients");
        }
        int page = QueryParams.integer(req, "page", 1, 1, 10_000);
        int size = QueryParams.integer(req, "size", 20, 1, 100);
        var result = recipes.byIngredients(List.copyOf(have), page, size);
        sendPage(req, res, SearchResult.of(result.items(), page, size, result.total()));
    }

    /** A recipe page: the recipe, and per ingredient what to buy on Kok (absent when catalog could not be asked). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecipeDetail(long id, String title, String summary, int servings, int minutes, String difficulty,
                               String imageUrl, List<IngredientDetail> ingredients, List<String> steps, List<String> tags,
                               boolean productsUnavailable, java.time.Instant createdAt, java.time.Instant updatedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IngredientDetail(String name, String quantity, boolean optional, List<CatalogProducts.ProductRef> products) {
    }

    private void get(ServerRequest req, ServerResponse res) {
        long id = PathParams.id(req, "id");
        Recipe r = recipes.find(id).orElseThrow(() -> notFound(id));
        events.track(req, tokens, "Recipe Viewed", java.util.Map.of("recipeId", id));
        List<String> names = r.ingredients().stream().map(Recipe.Ingredient::name).distinct().toList();
        var found = products.forIngredients(names, req.headers().first(HeaderNames.AUTHORIZATION));
        List<IngredientDetail> ingredients = new ArrayList<>();
        for (Recipe.Ingredient i : r.ingredients()) {
            ingredients.add(new IngredientDetail(i.name(), i.quantity(), i.optional(),
                                                 found.map(m -> m.getOrDefault(i.name(), List.of())).orElse(null)));
        }
        ConditionalGet.send(req, res, new RecipeDetail(r.id(), r.title(), r.summary(), r.servings(), r.minutes(), r.difficulty(), r.imageUrl(),
                                        ingredients, r.steps(), r.tags(), found.isEmpty(), r.createdAt(), r.updatedAt()));
    }

    private void create(ServerRequest req, ServerResponse res) {
        RecipeInput input = Json.read(req, RecipeInput.class).validated();
        if (input.id() != null) {
            throw QueryParams.invalid("id", "is assigned by the server; use PUT /recipes/{id} or the import to set it");
        }
        long id = recipes.save(input);
        res.header(HeaderNames.LOCATION, "/recipes/" + id);
        Json.send(res, Status.CREATED_201, recipes.find(id).orElseThrow());
    }

    private void update(ServerRequest req, ServerResponse res) {
        long id = PathParams.id(req, "id");
        RecipeInput input = Json.read(req, RecipeInput.class).validated();
        if (input.id() != null && input.id() != id) {
            throw QueryParams.invalid("id", "must match the id in the path (or be left out)");
        }
        if (!recipes.exists(id)) {
            throw notFound(id);
        }
        recipes.save(new RecipeInput(id, input.title(), input.summary(), input.servings(), input.minutes(), input.difficulty(),
                                     input.imageUrl(), input.ingredients(), input.steps(), input.tags()));
        Json.send(res, recipes.find(id).orElseThrow());
    }

    private void delete(ServerRequest req, ServerResponse res) {
        long id = PathParams.id(req, "id");
        if (!recipes.delete(id)) {
            throw notFound(id);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    public static ProblemException notFound(long id) {
        return ProblemException.notFound("No recipe " + id + ".");
    }

}
