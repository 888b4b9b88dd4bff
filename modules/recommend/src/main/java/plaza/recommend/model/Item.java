package plaza.recommend.model;

import java.util.List;

/**
 * A product or recipe as the model knows it. Products: {@code category}, {@code stock}; recipes: {@code category}
 * is their first tag, and {@code ingredients} lists each ingredient with the Kok products recipe offers for it.
 *
 * @param key  {@code p:<id>} or {@code r:<id>}
 * @param popularity catalog's review count (products), for trending when there is no behaviour yet
 * @param text what the text model reads (name, brand, category, keywords; title, summary, ingredients, tags)
 */
public record Item(String key, long id, String name, String category, int stock, long price, String imageUrl,
                   double popularity, String text, List<Ingredient> ingredients) {

    public record Ingredient(String name, boolean optional, List<Long> productIds) {
    }

    public boolean ofProduct() {
        return key.startsWith("p:");
    }

    public static String product(long id) {
        return "p:" + id;
    }

    public static String recipe(long id) {
        return "r:" + id;
    }
}
