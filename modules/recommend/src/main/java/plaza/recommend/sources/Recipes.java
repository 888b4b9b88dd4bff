package plaza.recommend.sources;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import plaza.platform.http.ServiceClient;
import plaza.recommend.model.Item;

/** recipe's recipes with their ingredients and the Kok products recipe offers per ingredient, over its HTTP API. */
public final class Recipes {

    private static final int PAGE = 100;

    private final ServiceClient client;

    public Recipes(ServiceClient client) {
        this.client = client;
    }

    public List<Item> recipes() {
        List<Long> ids = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = client.getJson("/recipes", ServiceClient.query("page", page, "size", PAGE), Optional.empty());
            body.path("items").forEach(r -> ids.add(r.path("id").asLong()));
            if (page >= body.path("totalPages").asInt(0) || body.path("items").isEmpty()) {
                break;
            }
        }
        List<Item> recipes = new ArrayList<>();
        for (long id : ids) {
            recipes.add(recipe(client.getJson("/recipes/" + id, java.util.Map.of(), Optional.empty())));
        }
        return recipes;
    }

    public static Item recipe(JsonNode r) {
        long id = r.path("id").asLong();
        List<Item.Ingredient> ingredients = new ArrayList<>();
        StringBuilder text = new StringBuilder(r.path("title").asText()).append(' ').append(r.path("title").asText())
                .append(' ').append(r.path("summary").asText(""));
        for (JsonNode i : r.path("ingredients")) {
            List<Long> products = new ArrayList<>();
            i.path("products").forEach(p -> products.add(p.path("id").asLong()));
            ingredients.add(new Item.Ingredient(i.path("name").asText(), i.path("optional").asBoolean(false), products));
            text.append(' ').append(i.path("name").asText());
        }
        List<String> tags = new ArrayList<>();
        r.path("tags").forEach(t -> tags.add(t.asText()));
        text.append(' ').append(String.join(" ", tags));
        return new Item(Item.recipe(id), id, r.path("title").asText(), tags.isEmpty() ? "" : tags.getFirst(), 0, 0,
                        r.path("imageUrl").isTextual() ? r.path("imageUrl").asText() : null, 0, text.toString(), ingredients);
    }
}
