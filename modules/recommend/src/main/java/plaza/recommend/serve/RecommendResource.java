package plaza.recommend.serve;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.http.Json;
import plaza.platform.http.PathParams;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;
import plaza.recommend.model.Model;
import plaza.recommend.sources.InteractionStore;

/**
 * {@code /recommend/*}: for-you (signed in), related and bought-together products, related recipes, trending,
 * a recipe's ingredients to buy, recipes for products; the admins' stats. Every answer has a {@code recommId}
 * that click events carry back ({@code properties.recommId}), and every item a {@code score} and {@code reasons}.
 */
public final class RecommendResource implements HttpService {

    private static final List<String> SCENARIOS = List.of("home", "cart", "recipe");

    private final Recommender recommender;
    private final InteractionStore interactions;
    private final TokenVerifier tokens;
    private final Supplier<Map<String, Object>> modelState;
    private final Runnable rebuild;

    public RecommendResource(Recommender recommender, InteractionStore interactions, TokenVerifier tokens,
                             Supplier<Map<String, Object>> modelState, Runnable rebuild) {
        this.recommender = recommender;
        this.interactions = interactions;
        this.tokens = tokens;
        this.modelState = modelState;
        this.rebuild = rebuild;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/for-you", tokens.authenticated(this::forYou))
                .get("/trending", this::trending)
                .get("/products/{id}/related", this::related)
                .get("/products/{id}/bought-together", this::boughtTogether)
                .get("/recipes/for-products", this::recipesForProducts)
                .get("/recipes/{id}/related", this::relatedRecipes)
                .get("/recipes/{id}/ingredients-to-buy", this::ingredientsToBuy)
                .get("/stats", tokens.requireRole("admin", this::stats))
                .get("/model", tokens.requireRole("admin", this::model))
                .post("/model/rebuild", tokens.requireRole("admin", this::rebuild))
                .any("/model/rebuild", Problems.methodNotAllowed("POST"));
        for (String path : List.of("/for-you", "/trending", "/products/{id}/related", "/products/{id}/bought-together", "/recipes/for-products",
                                   "/recipes/{id}/related", "/recipes/{id}/ingredients-to-buy", "/stats", "/model")) {
            rules.any(path, Problems.methodNotAllowed("GET"));
        }
    }

    private static int n(ServerRequest req) {
        return QueryParams.integer(req, "n", 10, 1, 100);
    }

    private String shopper(ServerRequest req) {
        return tokens.optionalCaller(req).map(Caller::id).map(id -> "u:" + id).orElse(null);
    }

    private void forYou(ServerRequest req, ServerResponse res) {
        String scenario = QueryParams.string(req, "scenario", 20).orElse("home");
        if (!SCENARIOS.contains(scenario)) {
            throw QueryParams.invalid("scenario", "must be one of home, cart, recipe");
        }
        Json.send(res, recommender.forYou("u:" + tokens.caller(req).id(), scenario, n(req)));
    }

    private void trending(ServerRequest req, ServerResponse res) {
        String window = QueryParams.string(req, "window", 10).orElse("week");
        if (!Model.WINDOWS.contains(window)) {
            throw QueryParams.invalid("window", "must be one of day, week, month");
        }
        Optional<String> category = QueryParams.string(req, "category", 100);
        Json.send(res, recommender.trending(category.orElse(null), window, shopper(req), n(req)));
    }

    private void related(ServerRequest req, ServerResponse res) {
        Json.send(res, recommender.relatedProducts(PathParams.id(req, "id"), shopper(req), n(req)));
    }

    private void boughtTogether(ServerRequest req, ServerResponse res) {
        Json.send(res, recommender.boughtTogether(PathParams.id(req, "id"), shopper(req), n(req)));
    }

    private void relatedRecipes(ServerRequest req, ServerResponse res) {
        Json.send(res, recommender.relatedRecipes(PathParams.id(req, "id"), shopper(req), n(req)));
    }

    private void ingredientsToBuy(ServerRequest req, ServerResponse res) {
        Json.send(res, recommender.ingredientsToBuy(PathParams.id(req, "id"), shopper(req), n(req)));
    }

    private void recipesForProducts(ServerRequest req, ServerResponse res) {
        List<Long> ids = new ArrayList<>();
        Optional<String> raw = QueryParams.string(req, "ids", 1000);
        if (raw.isPresent()) {
            for (String part : raw.get().split(",")) {
                String digits = part.trim();
                Long id = digits.matches("[0-9]{1,18}") ? Long.valueOf(digits) : null;
                if (id == null || id <= 0) {
                    throw QueryParams.invalid("ids", "must be product ids (positive numbers, ASCII digits) separated by commas");
                }
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
            if (ids.size() > 50) {
                throw QueryParams.invalid("ids", "at most 50 products");
            }
        }
        String shopper = shopper(req);
        if (ids.isEmpty() && shopper == null) {
            throw QueryParams.invalid("ids", "is required without a token (with one, your wishlist is used)");
        }
        Json.send(res, recommender.recipesForProducts(ids, shopper, n(req)));
    }

    private void stats(ServerRequest req, ServerResponse res) {
        int days = QueryParams.integer(req, "days", 7, 1, 400);
        Map<String, Object> body = new LinkedHashMap<>();
        Instant from = Instant.now().minus(Duration.ofDays(days));
        body.put("from", from.toString());
        body.put("surfaces", interactions.stats(from));
        Json.send(res, body);
    }

    private void model(ServerRequest req, ServerResponse res) {
        Json.send(res, modelState.get());
    }

    private void rebuild(ServerRequest req, ServerResponse res) {
        rebuild.run();
        Json.send(res, modelState.get());
    }
}
