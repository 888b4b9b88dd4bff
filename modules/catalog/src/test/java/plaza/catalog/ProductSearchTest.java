package plaza.catalog;

import plaza.testing.JsonApi;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

@ServerTest
class ProductSearchTest {

    private static final TestTokens TOKENS = TestTokens.create();
    /** Every read of the clock is a second later, so each fixture row has its own created_at. */
    private static final Clock TICKING = new Clock() {
        private final AtomicLong seconds = new AtomicLong(Instant.parse("2025-01-01T00:00:00Z").getEpochSecond());

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.incrementAndGet());
        }
    };

    static final String FIXTURE = fixture();

    private final JsonApi api;

    ProductSearchTest(Http1Client client) {
        this.api = new JsonApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestCatalog.configure(server, TOKENS, TICKING, FIXTURE);
    }

    private static String fixture() {
        StringBuilder jsonl = new StringBuilder("""
                {"id":1,"name":"포기김치 5kg","brand":"정성식품","category":"김치/반찬","price":32000,"salePrice":25600,"stock":40,"description":"국산 배추로 담근 포기김치","rating":4.8,"reviewCount":900,"keywords":["김치","배추김치"]}
                {"id":2,"name":"열무김치 2kg","brand":"정성식품","category":"김치/반찬","price":18000,"stock":10,"rating":4.5,"reviewCount":300,"keywords":["김치","열무"]}
                {"id":3,"name":"김치","brand":"우리집","category":"김치/반찬","price":9000,"salePrice":8100,"stock":5,"rating":4.0,"reviewCount":10,"keywords":["김치"]}
                {"id":4,"name":"김치찌개용 돼지고기 500g","brand":"한우명가","category":"정육/계란","price":12900,"salePrice":9900,"stock":20,"rating":4.6,"reviewCount":500,"keywords":["돼지고기","김치찌개"]}
                {"id":5,"name":"국산 대파 1단","brand":"초록들","category":"채소","price":3500,"salePrice":2900,"stock":100,"rating":4.7,"reviewCount":1200,"keywords":["대파","파"]}
                {"id":6,"name":"유기농 두부 300g","brand":"햇살농장","category":"두부/콩","price":2500,"stock":50,"rating":4.4,"reviewCount":800,"keywords":["두부"]}
                {"id":7,"name":"부침두부 500g","brand":"햇살농장","category":"두부/콩","price":3200,"salePrice":2700,"stock":0,"rating":4.2,"reviewCount":150,"keywords":["두부"]}
                {"id":8,"name":"무항생제 계란 30구","brand":"한우명가","category":"정육/계란","price":9900,"salePrice":8900,"stock":30,"rating":4.9,"reviewCount":2000,"keywords":["계란","달걀"]}
                {"id":9,"name":"된장 1kg","brand":"정성식품","category":"양념/소스","price":8000,"discountRate":20,"stock":12,"rating":4.3,"reviewCount":450,"keywords":["된장"]}
                {"id":10,"name":"100% 사과주스 1L","brand":"과수원","category":"음료","price":4000,"salePrice":3000,"stock":9,"rating":3.9,"reviewCount":50,"keywords":["사과","주스"]}
                {"id":11,"name":"snake_case 과자","brand":"과자점","category":"간식","price":1500,"stock":3,"rating":3.0,"reviewCount":5}
                {"id":12,"name":"ＡＢＣ 우유 1L","brand":"목장","category":"유제품","price":2800,"salePrice":2500,"stock":7,"rating":4.1,"reviewCount":70,"keywords":["우유"]}
                """);
        // Filler with many ties on review count, price and discount, to catch unstable ordering.
        for (int i = 0; i < 30; i++) {
            int price = 5000 + (i % 6) * 1000;
            int sale = price - (i % 3) * 500;
            jsonl.append("{\"id\":").append(100 + i).append(",\"name\":\"제철 채소 꾸러미 ").append(i).append("호\",")
                    .append("\"brand\":\"초록들\",\"category\":\"채소\",\"price\":").append(price)
                    .append(",\"salePrice\":").append(sale).append(",\"stock\":").append(i % 4)
                    .append(",\"rating\":4.0,\"reviewCount\":").append((i % 5) * 10).append(",\"keywords\":[\"채소\"]}\n");
        }
        return jsonl.toString();
    }

    @Test
    void koreanSubstringFindsWordsInsideNames() {
        JsonApi.Response r = api.get("/kok/products", "q", "김치", "size", "100");
        assertThat(r.status(), is(200));
        assertThat(r.names("items"), hasItems("포기김치 5kg", "열무김치 2kg", "김치", "김치찌개용 돼지고기 500g"));
        assertThat(r.names("items"), not(hasItem("된장 1kg")));
        assertThat(r.body().get("total").asInt(), is(4));
    }

    @Test
    void mostRelevantFirstExactThenPrefixThenSubstringThenPopular() {
        JsonApi.Response r = api.get("/kok/products", "q", "김치");
        // exact name; then products whose keyword is exactly the query (by review count); then a name that
        // merely starts with it (pork for kimchi stew is not kimchi)
        assertThat(r.ids("items"), contains(3L, 1L, 2L, 4L));
        // without the keyword bonus: name starting with the query before names containing it
        assertThat(api.get("/kok/products", "q", "김치찌개").ids("items"), contains(4L));
        assertThat(api.get("/kok/products", "q", "무항생제").ids("items"), contains(8L));
        assertThat(r.body().get("sort").asText(), is("relevance"));
    }

    @Test
    void everyKeywordMustMatchInAnyOrderAcrossNameAndBrand() {
        assertThat(api.get("/kok/products", "q", "5kg 포기").ids("items"), contains(1L));
        assertThat(api.get("/kok/products", "q", "포기 5kg").ids("items"), contains(1L));
        assertThat(api.get("/kok/products", "q", "정성 김치").ids("items"), containsInAnyOrder(1L, 2L));
        assertThat(api.get("/kok/products", "q", "김치,정성식품").ids("items"), containsInAnyOrder(1L, 2L));
        assertThat(api.get("/kok/products", "q", "김치 우유").body().get("total").asInt(), is(0));
    }

    @Test
    void spacingAndFullWidthLettersDoNotMatter() {
        assertThat(api.get("/kok/products", "q", "포기 김치").ids("items"), contains(1L));
        assertThat(api.get("/kok/products", "q", "열무김치2kg").ids("items"), contains(2L));
        assertThat(api.get("/kok/products", "q", "abc").ids("items"), contains(12L));
        assertThat(api.get("/kok/products", "q", "ＡＢＣ 우유").ids("items"), contains(12L));
    }

    @Test
    void likeWildcardsAndSqlInUserInputAreLiteral() {
        assertThat(api.get("/kok/products", "q", "%").ids("items"), contains(10L));
        assertThat(api.get("/kok/products", "q", "_").ids("items"), contains(11L));
        assertThat(api.get("/kok/products", "q", "\\").body().get("total").asInt(), is(0));
        JsonApi.Response injection = api.get("/kok/products", "q", "' OR '1'='1' --");
        assertThat(injection.status(), is(200));
        assertThat(injection.body().get("total").asInt(), is(0));
        assertThat(api.get("/kok/products", "category", "채소' OR 1=1 #").body().get("total").asInt(), is(0));
    }

    @Test
    void categoryAndPriceFilters() {
        assertThat(api.get("/kok/products", "category", "두부/콩").ids("items"), containsInAnyOrder(6L, 7L));
        JsonApi.Response range = api.get("/kok/products", "minPrice", "2600", "maxPrice", "3000", "size", "100");
        List<Integer> prices = new ArrayList<>();
        range.body().get("items").forEach(n -> prices.add(n.get("salePrice").asInt()));
        assertThat(prices, everyItem(greaterThanOrEqualTo(2600)));
        assertThat(prices, everyItem(lessThanOrEqualTo(3000)));
        assertThat(range.ids("items"), containsInAnyOrder(5L, 7L, 10L));
        assertThat(api.get("/kok/products", "q", "두부", "category", "두부/콩", "maxPrice", "2600").ids("items"), contains(6L));
        assertThat(api.get("/kok/products", "minPrice", "2500", "maxPrice", "2500").ids("items"), containsInAnyOrder(6L, 12L));
    }

    @Test
    void discountRateAndSalePriceAreDerived() {
        JsonNode doenjang = api.get("/kok/products/9").body();
        assertThat(doenjang.get("salePrice").asInt(), is(6400));
        assertThat(doenjang.get("discountRate").asInt(), is(20));
        assertThat(api.get("/kok/products/2").body().get("discountRate").asInt(), is(0));
        assertThat(api.get("/kok/products/1").body().get("discountRate").asInt(), is(20));
    }

    @Test
    void everySortOrdersAllResultsWithIdAsTieBreaker() {
        assertSorted("popular", Comparator.<JsonNode>comparingInt(n -> -n.get("reviewCount").asInt())
                .thenComparing(n -> -n.get("rating").asDouble()).thenComparingLong(n -> n.get("id").asLong()));
        assertSorted("price_asc", Comparator.<JsonNode>comparingInt(n -> n.get("salePrice").asInt())
                .thenComparingLong(n -> n.get("id").asLong()));
        assertSorted("price_desc", Comparator.<JsonNode>comparingInt(n -> -n.get("salePrice").asInt())
                .thenComparingLong(n -> n.get("id").asLong()));
        assertSorted("discount", Comparator.<JsonNode>comparingInt(n -> -n.get("discountRate").asInt())
                .thenComparingInt(n -> -n.get("reviewCount").asInt()).thenComparingLong(n -> n.get("id").asLong()));
        assertSorted("newest", Comparator.<JsonNode, Instant>comparing(n -> Instant.parse(n.get("createdAt").asText()))
                .reversed().thenComparing(Comparator.<JsonNode>comparingLong(n -> n.get("id").asLong()).reversed()));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void assertSorted(String sort, Comparator<JsonNode> order) {
        JsonApi.Response r = api.get("/kok/products", "sort", sort, "size", "100");
        assertThat(sort, r.status(), is(200));
        List<JsonNode> items = new ArrayList<>();
        r.body().get("items").forEach(items::add);
        assertThat(sort, items.size(), is(42));
        List<JsonNode> sorted = new ArrayList<>(items);
        sorted.sort(order);
        assertThat(sort + " order", items.stream().map(n -> n.get("id").asLong()).toList(),
                   is(sorted.stream().map(n -> n.get("id").asLong()).toList()));
    }

    @Test
    void paginationNeverRepeatsOrSkipsInAnySort() {
        for (String sort : List.of("popular", "price_asc", "price_desc", "discount", "newest", "relevance")) {
            String q = sort.equals("relevance") ? "채소" : "";
            List<Long> all = api.get("/kok/products", "sort", sort, "q", q, "size", "100").ids("items");
            List<Long> paged = new ArrayList<>();
            int total = -1;
            for (int page = 1; page <= 10; page++) {
                JsonApi.Response r = api.get("/kok/products", "sort", sort, "q", q, "size", "7", "page", String.valueOf(page));
                total = r.body().get("total").asInt();
                assertThat(r.body().get("totalPages").asInt(), is((total + 6) / 7));
                if (r.body().get("items").isEmpty()) {
                    break;
                }
                paged.addAll(r.ids("items"));
            }
            assertThat(sort, paged, is(all));
            assertThat(sort, new HashSet<>(paged).size(), is(paged.size()));
            assertThat(sort, paged.size(), is(total));
            assertThat(sort, total, greaterThan(7));
        }
    }

    @Test
    void pagePastTheEndIsEmptyWithTheRightTotal() {
        JsonApi.Response r = api.get("/kok/products", "page", "500", "size", "10");
        assertThat(r.status(), is(200));
        assertThat(r.body().get("items").size(), is(0));
        assertThat(r.body().get("total").asInt(), is(42));
    }

    @Test
    void badQueryParametersAre400ProblemJson() {
        String[][] bad = {
                {"sort", "cheapest"}, {"page", "0"}, {"page", "abc"}, {"size", "0"}, {"size", "1000"},
                {"minPrice", "-1"}, {"minPrice", "1e3"}, {"maxPrice", "99999999999"}, {"q", "김".repeat(101)},
                {"category", "x".repeat(51)}};
        for (String[] param : bad) {
            JsonApi.Response r = api.get("/kok/products", param[0], param[1]);
            assertThat(param[0] + "=" + param[1].substring(0, Math.min(10, param[1].length())), r.status(), is(400));
            assertThat(r.contentType(), is("application/problem+json"));
            assertThat(r.body().get("errors").get(0).get("field").asText(), is(param[0]));
        }
        JsonApi.Response inverted = api.get("/kok/products", "minPrice", "5000", "maxPrice", "1000");
        assertThat(inverted.status(), is(400));
        assertThat(inverted.body().get("errors").get(0).get("field").asText(), is("minPrice"));
        assertThat(api.get("/kok/products/abc").status(), is(400));
        assertThat(api.get("/kok/products/-5").status(), is(400));
        assertThat(api.get("/kok/products/by-keywords").status(), is(400));
        assertThat(api.get("/kok/products/by-keywords", "keyword", "계란", "limit", "99").status(), is(400));
    }

    @Test
    void productDetailAndUnknownId() {
        JsonApi.Response r = api.get("/kok/products/1");
        assertThat(r.status(), is(200));
        assertThat(r.body().get("description").asText(), is("국산 배추로 담근 포기김치"));
        assertThat(r.body().get("keywords").get(0).asText(), is("김치"));
        JsonApi.Response missing = api.get("/kok/products/999999");
        assertThat(missing.status(), is(404));
        assertThat(missing.contentType(), is("application/problem+json"));
        // lists leave the description out
        assertThat(api.get("/kok/products", "q", "포기김치").body().get("items").get(0).has("description"), is(false));
    }

    @Test
    void categoriesWithCounts() {
        JsonApi.Response r = api.get("/kok/categories");
        assertThat(r.status(), is(200));
        JsonNode first = r.body().get("categories").get(0);
        assertThat(first.get("name").asText(), is("채소"));
        assertThat(first.get("productCount").asInt(), is(31));
        assertThat(r.names("categories"), hasItems("김치/반찬", "두부/콩", "정육/계란"));
    }

    @Test
    void byKeywordsFindsProductsPerIngredientInStockFirst() {
        // repeated and comma-separated keywords both count
        JsonApi.Response r = api.getRepeated("/kok/products/by-keywords", "keyword", "두부", "계란,다진 대파", "트러플");
        assertThat(r.status(), is(200));
        JsonNode results = r.body().get("results");
        assertThat(results.size(), is(4));
        assertThat(results.get(0).get("keyword").asText(), is("두부"));
        // 6 is in stock, 7 is not: in stock first
        assertThat(results.get(0).get("products").get(0).get("id").asLong(), is(6L));
        assertThat(results.get(1).get("products").get(0).get("id").asLong(), is(8L));
        // "다진 대파" finds nothing as a whole, then falls back to its last word
        assertThat(results.get(2).get("products").get(0).get("id").asLong(), is(5L));
        assertThat(results.get(3).get("products").size(), is(0));
    }
}
