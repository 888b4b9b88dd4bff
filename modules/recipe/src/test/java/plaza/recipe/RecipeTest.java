package plaza.recipe;

import plaza.testing.JsonApi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/** Recipes against a real catalog server (its own port and database), as in production. */
@ServerTest
class RecipeTest {

    private static final TestTokens TOKENS = TestTokens.create();
    private static WebServer catalog;
    private final JsonApi api;
    private final Http1Client client;

    RecipeTest(Http1Client client) {
        this.api = new JsonApi(client);
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        catalog = Fixtures.startCatalog(TOKENS);
        Fixtures.configureRecipe(server, TOKENS, "http://127.0.0.1:" + catalog.port(), Map.of());
    }

    @AfterAll
    static void stopCatalog() {
        catalog.stop();
    }

    @Test
    void searchByTitleIngredientTagAndTime() {
        assertThat(api.get("/recipes", "q", "계란").ids("items"), contains(1L, 4L));
        // title matches rank above ingredient-only matches
        assertThat(api.get("/recipes", "q", "두부").ids("items"), contains(2L, 3L));
        assertThat(api.get("/recipes", "q", "대파 김치").ids("items"), contains(3L));
        assertThat(api.get("/recipes", "tag", "초간단").ids("items"), contains(1L, 4L));
        assertThat(api.get("/recipes", "maxMinutes", "20").ids("items"), contains(1L, 2L, 4L));
        assertThat(api.get("/recipes", "q", "대파", "tag", "찌개").ids("items"), contains(3L));
        JsonApi.Response page2 = api.get("/recipes", "maxMinutes", "60", "size", "2", "page", "2");
        assertThat(page2.ids("items"), contains(3L, 4L));
        assertThat(page2.body().get("total").asInt(), is(5));
        assertThat(api.get("/recipes", "q", "%").body().get("total").asInt(), is(0));
    }

    /** Recipe lists page like catalog's: totalPages, a Link header to the neighbours, and conditional GET. */
    @Test
    void listsCarryTotalPagesLinksAndETags() {
        JsonApi.Response page2 = api.get("/recipes", "maxMinutes", "60", "size", "2", "page", "2");
        assertThat(page2.body().get("totalPages").asInt(), is(3)); // 5 recipes, 2 a page
        try (var res = client.get("/recipes").queryParam("maxMinutes", "60").queryParam("size", "2").queryParam("page", "2").request()) {
            // the client sends the parameters in its own order; the links keep it and set page
            String query = res.headers().first(io.helidon.http.HeaderNames.LINK).orElseThrow()
                    .replaceAll(".*</recipes\\?([^>]*)&page=1>; rel=\"first\".*", "$1");
            assertThat(List.of(query.split("&")), org.hamcrest.Matchers.containsInAnyOrder("maxMinutes=60", "size=2"));
            assertThat(res.headers().first(io.helidon.http.HeaderNames.LINK).orElseThrow(),
                       is("</recipes?" + query + "&page=1>; rel=\"first\", </recipes?" + query + "&page=1>; rel=\"prev\", "
                          + "</recipes?" + query + "&page=3>; rel=\"next\", </recipes?" + query + "&page=3>; rel=\"last\""));
            String etag = res.headers().first(io.helidon.http.HeaderNames.ETAG).orElseThrow();
            try (var again = client.get("/recipes").queryParam("maxMinutes", "60").queryParam("size", "2").queryParam("page", "2")
                    .header(io.helidon.http.HeaderNames.IF_NONE_MATCH, etag).request()) {
                assertThat(again.status().code(), is(304));
            }
        }
        String etag;
        try (var recipe = client.get("/recipes/1").request()) {
            etag = recipe.headers().first(io.helidon.http.HeaderNames.ETAG).orElseThrow();
        }
        try (var again = client.get("/recipes/1").header(io.helidon.http.HeaderNames.IF_NONE_MATCH, etag).request()) {
            assertThat(again.status().code(), is(304));
        }
        assertThat(api.get("/recipes/by-ingredients", "have", "트러플").body().get("totalPages").asInt(), is(0)); // as catalog: no page
    }

    @Test
    void byIngredientsRanksByCoverageAndListsWhatIsMissing() {
        JsonApi.Response r = api.get("/recipes/by-ingredients", "have", "계란, 대파,두부");
        assertThat(r.text(), r.status(), is(200));
        List<Long> ids = new ArrayList<>();
        r.body().get("items").forEach(n -> ids.add(n.get("recipe").get("id").asLong()));
        assertThat(ids, contains(1L, 4L, 2L, 3L, 5L));
        JsonNode first = r.body().get("items").get(0);
        assertThat(first.get("coverage").asDouble(), is(1.0));
        assertThat(first.get("missing").size(), is(0)); // salt is optional: not missing
        JsonNode soup = r.body().get("items").get(1);
        assertThat(soup.get("coverage").asDouble(), is(0.667));
        assertThat(soup.get("missing").get(0).get("name").asText(), is("다시마"));
        JsonNode stew = r.body().get("items").get(3);
        List<String> missing = new ArrayList<>();
        stew.get("missing").forEach(n -> missing.add(n.get("name").asText()));
        assertThat(missing, contains("김치", "돼지고기"));
        assertThat(stew.get("matched").size(), is(2));
        assertThat(r.body().get("total").asInt(), is(5));
        // nothing in common: nothing to cook
        assertThat(api.get("/recipes/by-ingredients", "have", "트러플").body().get("items").size(), is(0));
    }

    @Test
    void recipeDetailCarriesKokProductsPerIngredient() {
        JsonApi.Response r = api.get("/recipes/3");
        assertThat(r.status(), is(200));
        assertThat(r.body().get("productsUnavailable").asBoolean(), is(false));
        JsonNode ingredients = r.body().get("ingredients");
        assertThat(ingredients.get(0).get("name").asText(), is("김치"));
        assertThat(ingredients.get(0).get("products").get(0).get("name").asText(), is("포기김치 1kg"));
        assertThat(ingredients.get(1).get("products").get(0).get("id").asLong(), is(5L));
        assertThat(ingredients.get(2).get("products").get(0).get("id").asLong(), is(3L));
        List<String> steps = new ArrayList<>();
        r.body().get("steps").forEach(s -> steps.add(s.asText()));
        assertThat(steps, contains("돼지고기와 김치를 볶는다.", "물을 붓고 끓인다.", "두부와 대파를 넣는다."));
        // an ingredient Kok does not sell gets an empty list, not an error
        JsonNode jeyuk = api.get("/recipes/5").body().get("ingredients");
        assertThat(jeyuk.get(2).get("name").asText(), is("고추장"));
        assertThat(jeyuk.get(2).get("products").size(), is(0));
    }

    @Test
    void badParametersAre400ProblemJson() {
        String[][] bad = {{"/recipes", "maxMinutes", "0"}, {"/recipes", "maxMinutes", "abc"}, {"/recipes", "page", "-1"},
                {"/recipes", "size", "101"}, {"/recipes", "q", "가".repeat(101)}, {"/recipes/by-ingredients", "have", ",,,"},
                {"/recipes/by-ingredients", "have", String.join(",", java.util.Collections.nCopies(31, "x").stream()
                        .map(x -> x + Math.random()).toList())}};
        for (String[] b : bad) {
            JsonApi.Response r = api.get(b[0], b[1], b[2]);
            assertThat(b[0] + " " + b[1], r.status(), is(400));
            assertThat(r.contentType(), is("application/problem+json"));
            assertThat(r.body().get("errors").get(0).get("field").asText(), is(b[1]));
        }
        assertThat(api.get("/recipes/by-ingredients").status(), is(400));
        assertThat(api.get("/recipes/abc").status(), is(400));
        assertThat(api.get("/recipes/12345").status(), is(404));
    }

    @Test
    void writesAreForAdminsOnly() {
        String body = """
                {"title":"대파전","minutes":15,"difficulty":"easy","ingredients":[{"name":"대파","quantity":"5대"},{"name":"부침가루","quantity":"1컵"}],"steps":["반죽한다.","부친다."],"tags":["전"]}""";
        assertThat(api.send(Method.POST, "/recipes", null, "application/json", body).status(), is(401));
        assertThat(api.send(Method.POST, "/recipes", TOKENS.token("u1"), "application/json", body).status(), is(403));
        assertThat(api.send(Method.PUT, "/recipes/1", TOKENS.token("u1"), "application/json", body).status(), is(403));
        assertThat(api.send(Method.DELETE, "/recipes/1", TOKENS.token("u1"), null, null).status(), is(403));
        assertThat(api.send(Method.POST, "/recipes/import", TOKENS.token("u1"), "application/x-ndjson", body).status(), is(403));

        String admin = TOKENS.token("a1", "admin");
        JsonApi.Response created = api.send(Method.POST, "/recipes", admin, "application/json", body);
        assertThat(created.status(), is(201));
        long id = created.body().get("id").asLong();
        assertThat(api.get("/recipes", "tag", "전").ids("items"), contains(id));
        String renamed = body.replace("대파전", "파전");
        assertThat(api.send(Method.PUT, "/recipes/" + id, admin, "application/json", renamed).body().get("title").asText(), is("파전"));
        assertThat(api.send(Method.DELETE, "/recipes/" + id, admin, null, null).status(), is(204));
        assertThat(api.get("/recipes/" + id).status(), is(404));
        assertThat(api.send(Method.DELETE, "/recipes/" + id, admin, null, null).status(), is(404));
    }

    @Test
    void invalidRecipeBodiesAre400WithTheField() {
        String admin = TOKENS.token("a1", "admin");
        String[][] cases = {
                {"{\"minutes\":5,\"ingredients\":[{\"name\":\"a\"}],\"steps\":[\"b\"]}", "title"},
                {"{\"title\":\"t\",\"minutes\":\"five\",\"ingredients\":[{\"name\":\"a\"}],\"steps\":[\"b\"]}", "minutes"},
                {"{\"title\":\"t\",\"minutes\":5,\"ingredients\":[],\"steps\":[\"b\"]}", "ingredients"},
                {"{\"title\":\"t\",\"minutes\":5,\"ingredients\":[{\"quantity\":\"1\"}],\"steps\":[\"b\"]}", "ingredients[0].name"},
                {"{\"title\":\"t\",\"minutes\":5,\"difficulty\":\"insane\",\"ingredients\":[{\"name\":\"a\"}],\"steps\":[\"b\"]}", "difficulty"},
                {"{\"title\":\"" + "t".repeat(10_000) + "\",\"minutes\":5,\"ingredients\":[{\"name\":\"a\"}],\"steps\":[\"b\"]}", "title"},
                {"{\"title\":\"t\",\"minutes\":5,\"imageUrl\":\"javascript:alert(1)\",\"ingredients\":[{\"name\":\"a\"}],\"steps\":[\"b\"]}", "imageUrl"},
        };
        for (String[] c : cases) {
            JsonApi.Response r = api.send(Method.POST, "/recipes", admin, "application/json", c[0]);
            assertThat(c[1], r.status(), is(400));
            assertThat(c[1], r.body().get("errors").get(0).get("field").asText(), is(c[1]));
        }
        assertThat(api.send(Method.POST, "/recipes", admin, "application/json", "{\"title\":").status(), is(400));
        assertThat(api.send(Method.POST, "/recipes", admin, "text/plain", "hello").status(), is(415));
        assertThat(api.get("/recipes", "q", "t").body().get("total").asInt(), is(0)); // none of them was written
    }

    @Test
    void importWithBadRowsReportsLinesAndKeepsGoodRows() {
        String lines = """
                {"id":40,"title":"좋은 레시피","minutes":200,"ingredients":[{"name":"메추리알"}],"steps":["삶는다."],"tags":["임포트"]}
                {"id":41,"title":"재료 없음","minutes":5,"ingredients":[],"steps":["?"],"tags":["임포트"]}
                not json at all
                {"id":43,"title":"또 좋은 레시피","minutes":300,"ingredients":[{"name":"곤약"}],"steps":["데친다."],"tags":["임포트"]}
                ["an","array"]
                """;
        JsonApi.Response r = api.send(Method.POST, "/recipes/import", TOKENS.token("a1", "admin"), "application/x-ndjson", lines);
        assertThat(r.status(), is(200));
        assertThat(r.body().get("imported").asInt(), is(2));
        assertThat(r.body().get("failed").asInt(), is(3));
        List<Integer> lineNumbers = new ArrayList<>();
        r.body().get("errors").forEach(e -> lineNumbers.add(e.get("line").asInt()));
        assertThat(lineNumbers, contains(2, 3, 5));
        assertThat(r.body().get("errors").get(0).get("errors").get(0).get("field").asText(), is("ingredients"));
        assertThat(api.get("/recipes", "tag", "임포트").ids("items"), contains(40L, 43L));
        assertThat(api.get("/recipes/41").status(), is(404));
        // a repeated import replaces by id instead of duplicating
        api.send(Method.POST, "/recipes/import", TOKENS.token("a1", "admin"), "application/x-ndjson", lines);
        assertThat(api.get("/recipes", "tag", "임포트").ids("items"), contains(40L, 43L));
    }

    @Test
    void bookmarksArePerUser() {
        String alice = TOKENS.token("alice");
        String bob = TOKENS.token("bob");
        assertThat(api.send(Method.PUT, "/recipes/bookmarks/3", null, null, null).status(), is(401));
        assertThat(api.send(Method.PUT, "/recipes/bookmarks/3", alice, null, null).status(), is(204));
        assertThat(api.send(Method.PUT, "/recipes/bookmarks/3", alice, null, null).status(), is(204)); // again: fine
        assertThat(api.send(Method.PUT, "/recipes/bookmarks/1", alice, null, null).status(), is(204));
        assertThat(api.send(Method.PUT, "/recipes/bookmarks/999", alice, null, null).status(), is(404));
        assertThat(api.send(Method.PUT, "/recipes/bookmarks/abc", alice, null, null).status(), is(400));
        JsonApi.Response list = api.getAs(alice, "/recipes/bookmarks");
        List<Long> ids = new ArrayList<>();
        list.body().get("items").forEach(n -> ids.add(n.get("recipe").get("id").asLong()));
        assertThat(ids, contains(1L, 3L));
        assertThat(api.getAs(bob, "/recipes/bookmarks").body().get("items").size(), is(0));
        assertThat(api.send(Method.DELETE, "/recipes/bookmarks/3", bob, null, null).status(), is(404)); // not bob's
        assertThat(api.send(Method.DELETE, "/recipes/bookmarks/3", alice, null, null).status(), is(204));
        assertThat(api.getAs(alice, "/recipes/bookmarks").body().get("total").asInt(), is(1));
        assertThat(api.get("/recipes/bookmarks").status(), is(401));
    }

    @Test
    void emptyResultsAreEmptyLists() {
        assertThat(api.get("/recipes", "tag", "없는태그").ids("items"), empty());
    }
}
