package plaza.recommend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import plaza.testing.JsonApi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** The surfaces against real catalog, recipe and events, on the demo products and recipes. */
class RecommendTest {

    final Plaza plaza = Plaza.get();
    final JsonApi api = plaza.a;

    static String shopper() {
        return "shopper-" + UUID.randomUUID();
    }

    JsonNode forYou(String user, String scenario) {
        return Plaza.check(api.getAs(Plaza.TOKENS.token(user), "/recommend/for-you", "scenario", scenario, "n", "10"), 200).body();
    }

    static Set<String> reasonTypes(JsonNode answer) {
        Set<String> types = new HashSet<>();
        answer.path("items").forEach(i -> i.path("reasons").forEach(r -> types.add(r.path("type").asText())));
        return types;
    }

    @Test
    void aShopperWithNoHistoryGetsTrendingAndOnAirProductsMarkedAsSuch() {
        JsonNode answer = forYou(shopper(), "home");
        assertThat(answer.path("coldStart").asBoolean(), is(true));
        assertThat(answer.path("recommId").asText(), not(""));
        assertThat(answer.path("items").size(), is(10));
        assertThat(Plaza.ids(answer, "product"), hasItem(plaza.onAirProduct));
        answer.path("items").forEach(i -> {
            assertThat(i.path("score").isNumber(), is(true));
            Set<String> types = new HashSet<>();
            i.path("reasons").forEach(r -> types.add(r.path("type").asText()));
            assertThat(types.contains("popular") || types.contains("on_air"), is(true));
        });
        JsonNode onAir = null;
        for (JsonNode i : answer.path("items")) {
            if (i.path("id").asLong() == plaza.onAirProduct) {
                onAir = i;
            }
        }
        assertThat(onAir.path("reasons").get(0).path("type").asText(), is("on_air"));
    }

    @Test
    void aShopperWhoWishlistsKimchiGetsKimchiRecipesFirst() {
        String user = shopper();
        for (long kimchi : List.of(62L, 64L, 65L)) {
            plaza.track(user, "Product Added to Wishlist", "{\"productId\":" + kimchi + "}");
        }
        assertThat(Plaza.within(5000, () -> forYou(user, "recipe").path("coldStart").asBoolean() == false), is(true));
        JsonNode answer = forYou(user, "recipe");
        List<String> names = new ArrayList<>();
        answer.path("items").forEach(i -> names.add(i.path("name").asText()));
        assertThat(names.toString(), names.size(), greaterThan(2));
        for (String first : names.subList(0, 3)) {
            assertThat(names.toString(), first, containsString("김치"));
        }
        assertThat(answer.path("items").get(0).path("reasons").get(0).path("type").asText(), is("because_you_wishlisted"));
        // What the shopper has is not recommended back on home.
        assertThat(Plaza.ids(forYou(user, "home"), "product"), not(hasItem(62L)));
    }

    @Test
    void relatedNeverReturnsTheItemItself() {
        for (long id : List.of(1L, 62L, 150L, 333L, 599L)) {
            JsonNode answer = Plaza.check(api.get("/recommend/products/" + id + "/related", "n", "20"), 200).body();
            assertThat(Plaza.ids(answer, null), not(hasItem(id)));
            assertThat(Plaza.ids(answer, null), not(empty()));
            answer.path("items").forEach(i -> assertThat(i.path("type").asText(), is("product")));
        }
        JsonNode recipes = Plaza.check(api.get("/recommend/recipes/1/related"), 200).body();
        assertThat(Plaza.ids(recipes, null), not(hasItem(1L)));
        assertThat(Plaza.ids(recipes, "recipe").size(), greaterThan(0));
    }

    @Test
    void anOutOfStockProductIsNeverRecommended() {
        JsonNode before = Plaza.check(api.get("/recommend/products/1/related", "n", "5"), 200).body();
        long top = Plaza.ids(before, null).getFirst();
        plaza.setStock(top, 0);
        try {
            plaza.replicaA.refreshCatalog();
            assertThat(Plaza.ids(Plaza.check(api.get("/recommend/products/1/related", "n", "50"), 200).body(), null), not(hasItem(top)));
            assertThat(Plaza.ids(Plaza.check(api.get("/recommend/trending", "window", "month", "n", "100"), 200).body(), null), not(hasItem(top)));
            String user = shopper();
            plaza.track(user, "Product Viewed", "{\"productId\":1}");
            assertThat(Plaza.within(5000, () -> !forYou(user, "home").path("coldStart").asBoolean()), is(true));
            assertThat(Plaza.ids(forYou(user, "cart"), null), not(hasItem(top)));
        } finally {
            plaza.setStock(top, 50);
            plaza.replicaA.refreshCatalog();
        }
    }

    @Test
    void anEventJustSentChangesForYouWithinTwoSeconds() {
        String user = shopper();
        JsonNode cold = forYou(user, "home");
        assertThat(cold.path("coldStart").asBoolean(), is(true));
        plaza.track(user, "Product Viewed", "{\"productId\":150}");
        long sent = System.nanoTime();
        boolean changed = Plaza.within(2000, () -> {
            JsonNode now = forYou(user, "home");
            return !now.path("coldStart").asBoolean() && now.toString().contains("\"productId\":150");
        });
        assertThat("for-you did not change within 2 s (took " + (System.nanoTime() - sent) / 1_000_000 + " ms)", changed, is(true));
    }

    @Test
    void everyListKeepsToTheCategoryCap() {
        JsonNode answer = Plaza.check(api.get("/recommend/trending", "window", "month", "n", "30"), 200).body();
        java.util.Map<String, Integer> perCategory = new java.util.HashMap<>();
        answer.path("items").forEach(i -> perCategory.merge(i.path("category").asText(), 1, Integer::sum));
        assertThat(perCategory.values(), everyItem(lessThanOrEqualTo(3)));
        JsonNode vegetables = Plaza.check(api.get("/recommend/trending", "category", "채소", "n", "3"), 200).body();
        vegetables.path("items").forEach(i -> assertThat(i.path("category").asText(), is("채소")));
    }

    @Test
    void ingredientsToBuyLeaveOutWhatTheShopperHas() {
        JsonNode recipe = Plaza.check(plaza.platform.get("/recipes/1"), 200).body();
        JsonNode first = recipe.path("ingredients").get(0);
        long had = first.path("products").get(0).path("id").asLong();
        String user = shopper();
        JsonNode all = Plaza.check(api.getAs(Plaza.TOKENS.token(user), "/recommend/recipes/1/ingredients-to-buy", "n", "50"), 200).body();
        assertThat(all.path("items").size(), greaterThan(1));
        plaza.track(user, "Product Added to Wishlist", "{\"productId\":" + had + "}");
        assertThat(Plaza.within(5000, () -> Plaza.check(api.getAs(Plaza.TOKENS.token(user), "/recommend/recipes/1/ingredients-to-buy", "n", "50"), 200)
                .body().path("have").toString().contains(first.path("name").asText())), is(true));
        JsonNode now = Plaza.check(api.getAs(Plaza.TOKENS.token(user), "/recommend/recipes/1/ingredients-to-buy", "n", "50"), 200).body();
        assertThat(Plaza.ids(now, null), not(hasItem(had)));
        assertThat(now.path("items").size(), is(all.path("items").size() - 1));
        assertThat(now.path("items").get(0).path("reasons").get(0).path("type").asText(), is("ingredient"));
    }

    @Test
    void recipesForKimchiProductsUseThem() {
        JsonNode answer = Plaza.check(api.get("/recommend/recipes/for-products", "ids", "62,65"), 200).body();
        assertThat(answer.path("items").get(0).path("name").asText(), containsString("김치"));
        assertThat(Plaza.check(api.get("/recommend/recipes/for-products"), 400).contentType(), is("application/problem+json"));
        assertThat(Plaza.check(api.get("/recommend/recipes/for-products", "ids", "1,x"), 400).body().path("detail").asText(), containsString("ids"));
    }

    @Test
    void badInputIsA400AndUnknownItemsA404() {
        assertThat(api.getAs(Plaza.TOKENS.token("x"), "/recommend/for-you", "scenario", "garden").status(), is(400));
        assertThat(api.get("/recommend/for-you").status(), is(401));
        assertThat(api.get("/recommend/trending", "window", "year").status(), is(400));
        assertThat(api.get("/recommend/products/abc/related").status(), is(400));
        assertThat(api.get("/recommend/products/999999/related").status(), is(404));
        assertThat(api.get("/recommend/recipes/999999/ingredients-to-buy").status(), is(404));
        assertThat(api.get("/recommend/stats").status(), is(401));
        assertThat(api.getAs(Plaza.TOKENS.token("x"), "/recommend/stats").status(), is(403));
    }

    @Test
    void clicksCarryingTheRecommIdShowInTheStats() throws Exception {
        String user = shopper();
        JsonNode answer = Plaza.check(api.get("/recommend/products/62/bought-together"), 200).body();
        String recommId = answer.path("recommId").asText();
        JsonNode shown = Plaza.check(api.get("/recommend/products/63/related", "n", "3"), 200).body();
        plaza.track(user, "Product Clicked", "{\"productId\":" + Plaza.ids(shown, null).getFirst() + ",\"recommId\":\"" + shown.path("recommId").asText() + "\"}");
        assertThat(recommId, notNullValue());
        assertThat(Plaza.within(5000, () -> {
            try {
                plaza.replicaA.flushImpressions();
                plaza.replicaA.pollFeed();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            JsonNode stats = Plaza.check(api.getAs(Plaza.ADMIN, "/recommend/stats"), 200).body();
            for (JsonNode s : stats.path("surfaces")) {
                if ("related".equals(s.path("surface").asText()) && s.path("clicks").asLong() >= 1) {
                    return s.path("impressions").asLong() >= 1 && s.path("ctr").asDouble() > 0;
                }
            }
            return false;
        }), is(true));
    }
}
