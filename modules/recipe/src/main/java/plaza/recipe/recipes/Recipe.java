package plaza.recipe.recipes;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A recipe with everything needed to cook it. */
public record Recipe(long id, String title, String summary, int servings, int minutes, String difficulty, String imageUrl,
                     List<Ingredient> ingredients, List<String> steps, List<String> tags, Instant createdAt, Instant updatedAt) {

    /** One ingredient; {@code optional} ones (salt, a garnish) do not count when ranking what you can cook. */
    public record Ingredient(String name, String quantity, boolean optional) {
    }

    /** A recipe in a list. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(long id, String title, String summary, int servings, int minutes, String difficulty,
                          String imageUrl, List<String> tags) {
    }

    public Summary toSummary() {
        return new Summary(id, title, summary, servings, minutes, difficulty, imageUrl, tags);
    }
}
