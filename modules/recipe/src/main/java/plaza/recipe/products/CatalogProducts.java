package plaza.recipe.products;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import plaza.platform.http.ServiceClient;

/**
 * Kok products for recipe ingredients, from the catalog service over HTTP
 * ({@code GET /kok/products/by-keywords}) with the platform's {@link ServiceClient}: one call per
 * recipe, traced, bounded by {@code recipe.catalog-timeout}. Empty when catalog is slow, down or
 * answers nonsense — the recipe is then shown without products.
 */
public final class CatalogProducts implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CatalogProducts.class.getName());

    private final ServiceClient client;
    private final int perIngredient;

    public CatalogProducts(ServiceClient client, int perIngredient) {
        this.client = client;
        this.perIngredient = perIngredient;
    }

    /** A product to buy for an ingredient (the fields of catalog's product a recipe page shows). */
    public record ProductRef(long id, String name, String brand, int price, int salePrice, int discountRate, String imageUrl,
                             boolean inStock) {
    }

    /** Products per ingredient name, or empty when catalog could not be asked. */
    public Optional<Map<String, List<ProductRef>>> forIngredients(List<String> names, Optional<String> authorization) {
        if (names.isEmpty()) {
            return Optional.of(Map.of());
        }
        try {
            JsonNode body = client.getJson("/kok/products/by-keywords",
                                           ServiceClient.query("keyword", names, "limit", perIngredient), authorization);
            Map<String, List<ProductRef>> out = new LinkedHashMap<>();
            for (JsonNode result : body.path("results")) {
                List<ProductRef> refs = new ArrayList<>();
                for (JsonNode p : result.path("products")) {
                    refs.add(new ProductRef(p.path("id").asLong(), p.path("name").asText(), p.path("brand").asText(""),
                                            p.path("price").asInt(), p.path("salePrice").asInt(), p.path("discountRate").asInt(),
                                            p.hasNonNull("imageUrl") ? p.get("imageUrl").asText() : null, p.path("stock").asInt() > 0));
                }
                out.put(result.path("keyword").asText(), refs);
            }
            return Optional.of(out);
        } catch (ServiceClient.CallFailedException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Recipe shown without products: " + e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
