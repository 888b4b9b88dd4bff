package plaza.catalog;

import plaza.testing.JsonApi;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

/** Admin-only product writes, JSON Lines import with bad rows, and per-user wishlists. */
@ServerTest
class ProductAdminTest {

    private static final TestTokens TOKENS = TestTokens.create();
    private static final String ADMIN = TOKENS.token("admin-1", "admin");
    private final JsonApi api;

    ProductAdminTest(Http1Client client) {
        this.api = new JsonApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestCatalog.configure(server, TOKENS, Clock.systemUTC(), """
                {"id":1,"name":"국산 대파 1단","category":"채소","price":3500,"stock":10}
                {"id":2,"name":"유기농 두부 300g","category":"두부/콩","price":2500,"stock":10}
                """);
    }

    private static final String NEW_PRODUCT = """
            {"name":"햇감자 1kg","brand":"초록들","category":"채소","price":6000,"discountRate":15,"stock":40,"keywords":["감자"],
             "imageUrl":"https://img.example.com/potato.jpg","description":"강원도 햇감자"}""";

    @Test
    void writesNeedTheAdminRole() {
        assertThat(api.send(Method.POST, "/kok/products", null, "application/json", NEW_PRODUCT).status(), is(401));
        assertThat(api.send(Method.POST, "/kok/products", TOKENS.token("u1"), "application/json", NEW_PRODUCT).status(), is(403));
        assertThat(api.send(Method.PUT, "/kok/products/1", TOKENS.token("u1"), "application/json", NEW_PRODUCT).status(), is(403));
        assertThat(api.send(Method.DELETE, "/kok/products/1", TOKENS.token("u1"), null, null).status(), is(403));
        assertThat(api.send(Method.POST, "/kok/products/import", TOKENS.token("u1"), "application/x-ndjson", NEW_PRODUCT).status(), is(403));
        String expired = TOKENS.sign(TOKENS.claims("admin-2", "admin")
                                             .expirationTime(new java.util.Date(System.currentTimeMillis() - 3_600_000)).build());
        assertThat(api.send(Method.DELETE, "/kok/products/1", expired, null, null).status(), is(401));
        assertThat(api.get("/kok/products/1").status(), is(200)); // still there
    }

    @Test
    void createUpdateDelete() {
        JsonApi.Response created = api.send(Method.POST, "/kok/products", ADMIN, "application/json", NEW_PRODUCT);
        assertThat(created.status(), is(201));
        long id = created.body().get("id").asLong();
        assertThat(created.body().get("salePrice").asInt(), is(5100));
        assertThat(created.body().get("discountRate").asInt(), is(15));
        assertThat(api.get("/kok/products", "q", "햇감자").ids("items"), contains(id));

        String renamed = NEW_PRODUCT.replace("햇감자 1kg", "수미감자 2kg");
        JsonApi.Response updated = api.send(Method.PUT, "/kok/products/" + id, ADMIN, "application/json", renamed);
        assertThat(updated.status(), is(200));
        assertThat(api.get("/kok/products", "q", "햇감자").body().get("total").asInt(), is(0)); // search key follows the name
        assertThat(api.get("/kok/products", "q", "수미").ids("items"), contains(id));

        assertThat(api.send(Method.DELETE, "/kok/products/" + id, ADMIN, null, null).status(), is(204));
        assertThat(api.get("/kok/products/" + id).status(), is(404));
        assertThat(api.send(Method.PUT, "/kok/products/" + id, ADMIN, "application/json", renamed).status(), is(404));
        assertThat(api.send(Method.PATCH, "/kok/products/1", ADMIN, "application/json", renamed).status(), is(405));
    }

    @Test
    void invalidBodiesAre400WithTheFieldAndWriteNothing() {
        String[][] cases = {
                {"{\"category\":\"채소\",\"price\":100}", "name"},
                {"{\"name\":\"x\",\"category\":\"채소\",\"price\":\"비쌈\"}", "price"},
                {"{\"name\":\"x\",\"category\":\"채소\",\"price\":-1}", "price"},
                {"{\"name\":\"x\",\"category\":\"채소\",\"price\":100,\"salePrice\":200}", "salePrice"},
                {"{\"name\":\"" + "가".repeat(10_000) + "\",\"category\":\"채소\",\"price\":100}", "name"},
                {"{\"name\":\"x\",\"category\":\"채소\",\"price\":100,\"imageUrl\":\"javascript:alert(1)\"}", "imageUrl"},
                {"{\"name\":\"x\",\"category\":\"채소\",\"price\":100,\"rating\":7}", "rating"},
                {"{\"name\":\"x\",\"category\":\"채소\",\"price\":100,\"keywords\":[\"\"]}", "keywords[0]"},
                {"{\"name\":\"x\",\"category\":\"채소\",\"price\":100,\"id\":99}", "id"},
        };
        for (String[] c : cases) {
            JsonApi.Response r = api.send(Method.POST, "/kok/products", ADMIN, "application/json", c[0]);
            assertThat(c[1], r.status(), is(400));
            assertThat(r.contentType(), is("application/problem+json"));
            assertThat(c[1], r.body().get("errors").get(0).get("field").asText(), is(c[1]));
        }
        assertThat(api.send(Method.POST, "/kok/products", ADMIN, "application/json", "{\"name\": ").status(), is(400));
        assertThat(api.send(Method.POST, "/kok/products", ADMIN, "application/xml", "<product/>").status(), is(415));
        assertThat(api.get("/kok/products", "q", "x").body().get("total").asInt(), is(0));
    }

    @Test
    void importKeepsGoodRowsAndReportsBadOnesByLine() {
        String lines = """
                {"id":100,"name":"임포트 양파 1.5kg","category":"채소","price":4000,"stock":5}
                {"id":101,"name":"가격 없음","category":"채소"}
                {"id":102,"name":"깨진 줄","category":"채소","price":
                {"id":103,"name":"음수 재고","category":"채소","price":1000,"stock":-3}
                {"id":104,"name":"임포트 마늘 500g","category":"채소","price":7000,"discountRate":10,"stock":5}
                "just a string"
                {"id":100,"name":"임포트 양파 3kg","category":"채소","price":7000,"stock":5}
                """;
        JsonApi.Response r = api.send(Method.POST, "/kok/products/import", ADMIN, "application/x-ndjson", lines);
        assertThat(r.status(), is(200));
        assertThat(r.body().get("imported").asInt(), is(3));
        assertThat(r.body().get("failed").asInt(), is(4));
        List<Integer> bad = new ArrayList<>();
        r.body().get("errors").forEach(e -> bad.add(e.get("line").asInt()));
        assertThat(bad, contains(2, 3, 4, 6));
        assertThat(r.body().get("errors").get(0).get("errors").get(0).get("field").asText(), is("price"));
        assertThat(r.body().get("errors").get(2).get("errors").get(0).get("field").asText(), is("stock"));
        // line 7 replaced line 1's product (same id): an import can be re-run
        assertThat(api.get("/kok/products", "q", "임포트").names("items"), containsInAnyOrder("임포트 마늘 500g", "임포트 양파 3kg"));
        for (long id : new long[] {101, 102, 103}) {
            assertThat(api.get("/kok/products/" + id).status(), is(404));
        }
        assertThat(api.send(Method.POST, "/kok/products/import", ADMIN, "text/html", lines).status(), is(415));
        assertThat(api.send(Method.POST, "/kok/products/import", ADMIN, "application/x-ndjson", "").status(), is(400));
    }

    @Test
    void wishlistIsPerUser() {
        String alice = TOKENS.token("alice");
        String bob = TOKENS.token("bob");
        assertThat(api.send(Method.PUT, "/kok/wishlist/1", null, null, null).status(), is(401));
        assertThat(api.send(Method.PUT, "/kok/wishlist/1", alice, null, null).status(), is(204));
        assertThat(api.send(Method.PUT, "/kok/wishlist/1", alice, null, null).status(), is(204)); // again: fine
        assertThat(api.send(Method.PUT, "/kok/wishlist/2", alice, null, null).status(), is(204));
        assertThat(api.send(Method.PUT, "/kok/wishlist/424242", alice, null, null).status(), is(404));
        assertThat(api.send(Method.PUT, "/kok/wishlist/abc", alice, null, null).status(), is(400));
        JsonApi.Response list = api.getAs(alice, "/kok/wishlist");
        List<Long> ids = new ArrayList<>();
        list.body().get("items").forEach(n -> ids.add(n.get("product").get("id").asLong()));
        assertThat(ids, contains(2L, 1L));
        assertThat(api.getAs(bob, "/kok/wishlist").body().get("total").asInt(), is(0));
        assertThat(api.send(Method.DELETE, "/kok/wishlist/1", bob, null, null).status(), is(404)); // not on bob's list
        assertThat(api.send(Method.DELETE, "/kok/wishlist/1", alice, null, null).status(), is(204));
        assertThat(api.getAs(alice, "/kok/wishlist").body().get("total").asInt(), is(1));
        assertThat(api.get("/kok/wishlist").status(), is(401));
    }
}
