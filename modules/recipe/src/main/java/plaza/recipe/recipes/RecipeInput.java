package plaza.recipe.recipes;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import plaza.platform.http.Json;
import plaza.platform.http.Validation;

/**
 * A recipe as an admin sends it (a JSON body or one import line). {@code id} is optional (1 to {@link plaza.platform.http.Validation#MAX_CLIENT_ID}): with it the
 * row creates or replaces that recipe. {@code difficulty} is {@code easy}, {@code medium} or {@code hard}.
 */
public record RecipeInput(Long id, String title, String summary, Integer servings, Integer minutes, String difficulty,
                          String imageUrl, List<IngredientInput> ingredients, List<String> steps, List<String> tags) {

    public static final Set<String> DIFFICULTIES = Set.of("easy", "medium", "hard");
    public static final int MAX_INGREDIENTS = 40;
    public static final int MAX_STEPS = 50;
    public static final int MAX_TAGS = 20;

    public record IngredientInput(String name, String quantity, Boolean optional) {
    }

    public static RecipeInput from(JsonNode node) {
        return Json.convert(node, RecipeInput.class).validated();
    }

    public RecipeInput validated() {
        Validation v = new Validation()
                .clientId("id", id)
                .require("title", title).maxLength("title", title, 200)
                .maxLength("summary", summary, 1000)
                .range("servings", servings, 1, 100)
                .require("minutes", minutes).range("minutes", minutes, 1, 1440)
                .maxLength("imageUrl", imageUrl, 500);
        v.check("difficulty", difficulty == null || DIFFICULTIES.contains(difficulty), "must be easy, medium or hard");
        if (imageUrl != null && !imageUrl.isBlank()) {
            v.check("imageUrl", isHttpUrl(imageUrl), "must be an http or https URL");
        }
        v.check("ingredients", ingredients != null && !ingredients.isEmpty(), "must list at least one ingredient");
        List<IngredientInput> cleanIngredients = new ArrayList<>();
        if (ingredients != null) {
            v.check("ingredients", ingredients.size() <= MAX_INGREDIENTS, "must have at most " + MAX_INGREDIENTS + " entries");
            for (int i = 0; i < ingredients.size(); i++) {
                IngredientInput in = ingredients.get(i);
                String f = "ingredients[" + i + "]";
                if (in == null) {
                    v.check(f, false, "must be an object");
                    continue;
                }
                v.require(f + ".name", in.name()).maxLength(f + ".name", in.name(), 100).maxLength(f + ".quantity", in.quantity(), 50);
                if (in.name() != null && !in.name().isBlank()) {
                    cleanIngredients.add(new IngredientInput(in.name().trim(), in.quantity() == null ? "" : in.quantity().trim(),
                                                             Boolean.TRUE.equals(in.optional())));
                }
            }
        }
        v.check("steps", steps != null && !steps.isEmpty(), "must list at least one step");
        List<String> cleanSteps = new ArrayList<>();
        if (steps != null) {
            v.check("steps", steps.size() <= MAX_STEPS, "must have at most " + MAX_STEPS + " entries");
            for (int i = 0; i < steps.size(); i++) {
                String s = steps.get(i);
                v.require("steps[" + i + "]", s).maxLength("steps[" + i + "]", s, 2000);
                if (s != null && !s.isBlank()) {
                    cleanSteps.add(s.trim());
                }
            }
        }
        LinkedHashSet<String> cleanTags = new LinkedHashSet<>();
        if (tags != null) {
            v.check("tags", tags.size() <= MAX_TAGS, "must have at most " + MAX_TAGS + " entries");
            for (int i = 0; i < tags.size(); i++) {
                String t = tags.get(i);
                v.require("tags[" + i + "]", t).maxLength("tags[" + i + "]", t, 40);
                if (t != null && !t.isBlank()) {
                    cleanTags.add(t.trim());
                }
            }
        }
        v.check();
        return new RecipeInput(id, title.trim(), summary == null ? "" : summary.trim(), servings == null ? 2 : servings, minutes,
                               difficulty == null ? "easy" : difficulty,
                               imageUrl == null || imageUrl.isBlank() ? null : imageUrl.trim(),
                               List.copyOf(cleanIngredients), List.copyOf(cleanSteps), List.copyOf(cleanTags));
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI uri = URI.create(s.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
