package plaza.recommend.sources;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import plaza.platform.http.ServiceClient;
import plaza.recommend.model.Item;

/**
 * catalog's products and what is on air, through catalog's public HTTP API ({@code GET /kok/products},
 * {@code GET /home-shopping/live}); never its tables. A product catalog no longer lists is deleted.
 */
public final class Catalog {

    private static final int PAGE = 100;

    private final ServiceClient client;

    public Catalog(ServiceClient client) {
        this.client = client;
    }

    /** Every product, page by page; throws {@link ServiceClient.CallFailedException} when catalog fails. */
    public List<Item> products() {
        List<Item> products = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = client.getJson("/kok/products", ServiceClient.query("sort", "newest", "page", page, "size", PAGE), java.util.Optional.empty());
            for (JsonNode p : body.path("items")) {
                products.add(product(p));
            }
            if (page >= body.path("totalPages").asInt(0) || body.path("items").isEmpty()) {
                return products;
            }
        }
    }

    public static Item product(JsonNode p) {
        long id = p.path("id").asLong();
        List<String> keywords = new ArrayList<>();
        p.path("keywords").forEach(k -> keywords.add(k.asText()));
        String text = String.join(" ", p.path("name").asText(), p.path("brand").asText(""), p.path("category").asText(""),
                                  String.join(" ", keywords));
        long price = p.path("salePrice").isNumber() ? p.path("salePrice").asLong() : p.path("price").asLong();
        return new Item(Item.product(id), id, p.path("name").asText(), p.path("category").asText(""), p.path("stock").asInt(0),
                        price, p.path("imageUrl").isTextual() ? p.path("imageUrl").asText() : null, p.path("reviewCount").asDouble(0),
                        text, List.of());
    }

    /** Product ids in a broadcast on air now. */
    public Set<Long> onAir() {
        Set<Long> ids = new HashSet<>();
        JsonNode body = client.getJson("/home-shopping/live", java.util.Map.of(), java.util.Optional.empty());
        for (JsonNode b : body.path("broadcasts")) {
            for (JsonNode p : b.path("products")) {
                ids.add(p.path("id").asLong());
            }
        }
        return ids;
    }
}
