package plaza.recipe.bookmarks;

import plaza.platform.events.EventPublisher;
import java.util.Map;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.http.Json;
import plaza.platform.http.PathParams;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;
import plaza.recipe.recipes.RecipeResource;

/**
 * {@code /recipes/bookmarks}: the signed-in user's saved recipes. {@code PUT /recipes/bookmarks/{recipeId}}
 * adds (idempotent), {@code DELETE} removes, {@code GET} lists; each user sees only their own.
 */
public final class BookmarkResource implements HttpService {

    private final BookmarkRepository bookmarks;
    private final TokenVerifier tokens;
    private final EventPublisher events;

    public BookmarkResource(BookmarkRepository bookmarks, TokenVerifier tokens, EventPublisher events) {
        this.bookmarks = bookmarks;
        this.tokens = tokens;
        this.events = events;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .any("/", Problems.methodNotAllowed("GET"))
                .put("/{recipeId}", this::add)
                .delete("/{recipeId}", this::remove)
                .any("/{recipeId}", Problems.methodNotAllowed("PUT", "DELETE"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        int page = QueryParams.integer(req, "page", 1, 1, 10_000);
        int size = QueryParams.integer(req, "size", 20, 1, 100);
        BookmarkRepository.Page result = bookmarks.list(caller.id(), page, size);
        Json.send(res, Map.of("items", result.items(), "page", page, "size", size, "total", result.total()));
    }

    private void add(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        long id = PathParams.id(req, "recipeId");
        if (!bookmarks.add(caller.id(), id)) {
            throw RecipeResource.notFound(id);
        }
        events.track(caller.id(), null, "Recipe Bookmarked", java.util.Map.of("recipeId", id));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void remove(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        long id = PathParams.id(req, "recipeId");
        if (!bookmarks.remove(caller.id(), id)) {
            throw ProblemException.notFound("Recipe " + id + " is not bookmarked.");
        }
        events.track(caller.id(), null, "Recipe Bookmark Removed", java.util.Map.of("recipeId", id));
        res.status(Status.NO_CONTENT_204).send();
    }
}
