package plaza.catalog.wishlist;

import plaza.platform.events.EventPublisher;
import java.util.Map;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.catalog.products.ProductRepository;
import plaza.platform.http.Json;
import plaza.platform.http.PathParams;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /kok/wishlist}: the signed-in user's wishlist. {@code PUT /kok/wishlist/{productId}} adds
 * (idempotent), {@code DELETE} removes, {@code GET /kok/wishlist} lists. Each user sees only their own.
 */
public final class WishlistResource implements HttpService {

    private final WishlistRepository wishlist;
    private final TokenVerifier tokens;
    private final EventPublisher events;

    public WishlistResource(WishlistRepository wishlist, TokenVerifier tokens, EventPublisher events) {
        this.wishlist = wishlist;
        this.tokens = tokens;
        this.events = events;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .any("/", Problems.methodNotAllowed("GET"))
                .put("/{productId}", this::add)
                .delete("/{productId}", this::remove)
                .any("/{productId}", Problems.methodNotAllowed("PUT", "DELETE"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        int page = QueryParams.integer(req, "page", 1, 1, 10_000);
        int size = QueryParams.integer(req, "size", 20, 1, 100);
        WishlistRepository.Page result = wishlist.list(caller.id(), page, size);
        Json.send(res, Map.of("items", result.items(), "page", page, "size", size, "total", result.total()));
    }

    private void add(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        long productId = PathParams.id(req, "productId");
        if (!wishlist.add(caller.id(), productId)) {
            throw ProductRepository.notFound(productId);
        }
        events.track(caller.id(), null, "Product Added to Wishlist", Map.of("productId", productId));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void remove(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        long productId = PathParams.id(req, "productId");
        if (!wishlist.remove(caller.id(), productId)) {
            throw plaza.platform.http.ProblemException.notFound("Product " + productId + " is not on your wishlist.");
        }
        events.track(caller.id(), null, "Product Removed from Wishlist", Map.of("productId", productId));
        res.status(Status.NO_CONTENT_204).send();
    }
}
