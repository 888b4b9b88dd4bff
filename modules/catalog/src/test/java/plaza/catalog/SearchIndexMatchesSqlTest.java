package plaza.catalog;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import plaza.catalog.demo.DemoData;
import plaza.catalog.products.Product;
import plaza.catalog.products.ProductQuery;
import plaza.catalog.products.ProductRepository;
import plaza.catalog.products.ProductResource;
import plaza.catalog.search.ProductIndex;
import plaza.platform.db.Database;
import plaza.platform.db.SearchKeys;
import plaza.platform.imports.ImportReport;
import plaza.testing.EmbeddedDatabases;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * The index is a cache of {@link ProductRepository#searchSql}, not a second definition of search: a wide mix of
 * queries goes through both, against real MariaDB, and must give the same items (same records, same order) and
 * the same total. Data: the 600 demo products plus rows made to trip an index up — LIKE wildcards and backslashes
 * in names, Latin categories differing only in case, accents and width (the column is utf8mb4_unicode_ci), an
 * emoji (surrogate pairs), out-of-stock rows, and creation times shared by three rows at a time (NEWEST ties).
 */
class SearchIndexMatchesSqlTest {

    private static final String TRICKY = """
            {"id":9001,"name":"100% 사과주스 1L","brand":"과수원","category":"음료","price":4000,"salePrice":3000,"stock":9,"rating":3.9,"reviewCount":50,"keywords":["사과","주스"]}
            {"id":9002,"name":"snake_case 과자","brand":"과자점","category":"Snack","price":1500,"stock":3,"rating":3.0,"reviewCount":5}
            {"id":9003,"name":"back\\\\slash 쿠키","brand":"과자점","category":"snack","price":1500,"stock":0,"rating":3.0,"reviewCount":5}
            {"id":9004,"name":"a_b%c 젤리","brand":"ＡＢＣ","category":"SNACK","price":2500,"stock":1,"rating":4.5,"reviewCount":5}
            {"id":9005,"name":"카페 라떼","brand":"Café Plaza","category":"Café","price":3000,"stock":5,"rating":4.5,"reviewCount":70,"keywords":["커피"]}
            {"id":9006,"name":"cafe 모카","brand":"cafe","category":"cafe","price":3000,"stock":5,"rating":4.6,"reviewCount":70,"keywords":["커피","cafe"]}
            {"id":9007,"name":"🍎 사과 2kg","brand":"과수원","category":"과일","price":15000,"discountRate":10,"stock":0,"rating":4.7,"reviewCount":300,"keywords":["사과","🍎"]}
            {"id":9008,"name":"김치","brand":"우리집","category":"김치/반찬","price":9000,"salePrice":8100,"stock":5,"rating":4.0,"reviewCount":10,"keywords":["김치"]}
            {"id":9009,"name":"김치","brand":"남의집","category":"김치/반찬","price":9000,"salePrice":8100,"stock":0,"rating":4.0,"reviewCount":10,"keywords":["김치"]}
            {"id":9010,"name":"ＫＧ 단위 상품 5kg","brand":"단위","category":"가공식품","price":2500,"stock":2,"rating":4.0,"reviewCount":0}
            """;

    private static Database db;
    private static ProductRepository repository;
    private static ProductIndex index;
    private static final List<String> NAMES = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        db = EmbeddedDatabases.open(Database.Vendor.MARIADB, "catalog");
        // Three rows per creation time, so NEWEST has ties that only the id breaks.
        AtomicLong reads = new AtomicLong();
        Clock clock = new Clock() {
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
                return Instant.parse("2025-01-01T00:00:00Z").plusSeconds(reads.incrementAndGet() / 3);
            }
        };
        repository = new ProductRepository(db.dataSource(), clock);
        var importer = ProductResource.importer(db.dataSource(), repository);
        ImportReport demo;
        try (InputStream in = SearchIndexMatchesSqlTest.class.getClassLoader().getResourceAsStream(DemoData.PRODUCTS)) {
            demo = importer.run(in);
        }
        ImportReport tricky = importer.run(new ByteArrayInputStream(TRICKY.getBytes(StandardCharsets.UTF_8)));
        assertThat(demo.failed() + tricky.failed(), is(0));
        index = ProductIndex.load(repository);
        assertThat(index.size(), is(demo.imported() + tricky.imported()));
        assertThat(index.revision(), is(repository.revision()));
        index.search(query(null, null, null, null, ProductQuery.Sort.POPULAR, 1, 100)).items().forEach(p -> NAMES.add(p.name()));
        // a name per review-count level is enough to draw substrings from
    }

    static ProductQuery query(String q, String category, Integer min, Integer max, ProductQuery.Sort sort, int page, int size) {
        List<String> terms = q == null ? List.of() : SearchKeys.terms(q, ProductQuery.MAX_TERMS);
        if (sort == ProductQuery.Sort.RELEVANCE && terms.isEmpty()) {
            sort = ProductQuery.Sort.POPULAR; // what ProductQuery.from does
        }
        return new ProductQuery(q, terms, category, min, max, sort, page, size);
    }

    private static int compare(ProductQuery q) {
        ProductRepository.Page sql = repository.search(q);
        ProductRepository.Page mem = index.search(q);
        String what = q.toString();
        assertThat(what + " total", mem.total(), is(sql.total()));
        assertThat(what + " ids", mem.items().stream().map(Product::id).toList(), is(sql.items().stream().map(Product::id).toList()));
        assertThat(what + " items", mem.items(), is(sql.items()));
        return sql.items().size();
    }

    private static final List<String> QS = List.of(
            "김치", "김", "치", "파", "대파", "국산 감자", "감자 국산", "유기농 두부", "두부,유기농", "두부 유기농 300g", "5kg", "kg", "KG",
            "ｋｇ", "1", "g", "%", "_", "\\", "\\%", "a_b", "a_b%c", "100%", "%%", "__", "없는상품", "🍎", "🍎사과", "사과", "과자",
            "snake_case", "back\\slash", "채소", "양념/소스", "/", "정육", "계란 30구", "cafe", "café", "Café Plaza", "커피 카페",
            "김치 김치찌개", "김 치", "우유 1L", "한우 국내산 1++", "' OR '1'='1' --", "a b c d e f g h i j");
    private static final List<String> CATEGORIES = java.util.Arrays.asList(
            null, "채소", "양념/소스", "김치/반찬", "Snack", "SNACK", "snack", "ｓｎａｃｋ", "cafe", "Café", "CAFÉ", "없음", "음료");
    private static final Integer[][] PRICES = {{null, null}, {1000, 5000}, {null, 3000}, {10000, null}, {2500, 2500}, {0, 0}};
    private static final int[][] PAGES = {{1, 20}, {2, 20}, {1, 100}, {3, 7}, {1000, 100}, {1, 1}, {10000, 100}};

    @Test
    void everyTermWithEverySortMatchesSql() {
        int rows = 0;
        for (String q : QS) {
            for (ProductQuery.Sort sort : ProductQuery.Sort.values()) {
                rows += compare(query(q, null, null, null, sort, 1, 100));
            }
        }
        assertThat(rows, greaterThan(1000)); // the mix finds things, not only empty pages
    }

    @Test
    void browsingByCategoryAndPriceWithEverySortMatchesSql() {
        for (String category : CATEGORIES) {
            for (Integer[] price : PRICES) {
                for (ProductQuery.Sort sort : ProductQuery.Sort.values()) {
                    compare(query(null, category, price[0], price[1], sort, 1, 50));
                }
            }
        }
    }

    @Test
    void categoriesCompareLikeTheUnicodeCiColumn() {
        // Snack / snack / SNACK / ｓｎａｃｋ are one category to utf8mb4_unicode_ci, and so are Café / cafe / CAFÉ.
        for (String category : List.of("snack", "SNACK", "ｓｎａｃｋ", "Café", "cafe", "CAFÉ")) {
            assertThat(category, compare(query(null, category, null, null, ProductQuery.Sort.POPULAR, 1, 100)), greaterThan(1));
        }
    }

    @Test
    void aRandomMixOfTermsFiltersSortsAndPagesMatchesSql() {
        Random random = new Random(6);
        List<String> qs = new ArrayList<>(QS);
        qs.add(null);
        // substrings of real names (1–4 chars of the search key, and two of them as a two-keyword query)
        for (int i = 0; i < 60; i++) {
            qs.add(slice(random, NAMES.get(random.nextInt(NAMES.size()))));
            qs.add(slice(random, NAMES.get(random.nextInt(NAMES.size()))) + " " + slice(random, NAMES.get(random.nextInt(NAMES.size()))));
        }
        ProductQuery.Sort[] sorts = ProductQuery.Sort.values();
        int nonEmpty = 0;
        for (int i = 0; i < 1200; i++) {
            Integer[] price = PRICES[random.nextInt(PRICES.length)];
            int[] page = PAGES[random.nextInt(PAGES.length)];
            String category = random.nextInt(3) == 0 ? CATEGORIES.get(random.nextInt(CATEGORIES.size())) : null;
            nonEmpty += compare(query(qs.get(random.nextInt(qs.size())), category, price[0], price[1],
                                      sorts[random.nextInt(sorts.length)], page[0], page[1])) > 0 ? 1 : 0;
        }
        assertThat(nonEmpty, greaterThan(100)); // ~150 of 1200 have items; the rest are empty pages, which must also agree
    }

    private static String slice(Random random, String name) {
        String key = SearchKeys.key(name);
        int length = 1 + random.nextInt(Math.min(4, key.length()));
        int start = random.nextInt(key.length() - length + 1);
        return key.substring(start, start + length);
    }

    @Test
    void readyMadeResponseJsonIsByteForByteWhatJacksonWritesForTheSqlResult() throws Exception {
        for (String q : QS) {
            for (ProductQuery.Sort sort : ProductQuery.Sort.values()) {
                ProductQuery query = query(q, null, null, null, sort, 2, 7);
                ProductRepository.Page sql = repository.search(query);
                String sortName = query.sort().name().toLowerCase(java.util.Locale.ROOT);
                byte[] expected = plaza.platform.http.Json.MAPPER.writeValueAsBytes(new ProductResource.SearchResult(
                        sql.items(), query.page(), query.size(), sql.total(), (sql.total() + query.size() - 1) / query.size(), sortName));
                byte[] actual = ProductResource.searchResultJson(index.hits(query), query.page(), query.size(), sortName);
                assertThat(query.toString(), new String(actual, StandardCharsets.UTF_8), is(new String(expected, StandardCharsets.UTF_8)));
            }
        }
    }

    @Test
    void everyPageOfALargeResultMatchesSql() {
        for (ProductQuery.Sort sort : ProductQuery.Sort.values()) {
            for (int page = 1; page <= 12; page++) {
                compare(query("g", null, null, null, sort, page, 13));
            }
        }
    }

    @Test
    void byKeywordsMatchesSqlIncludingTheLastWordFallback() {
        List<String> keywords = List.of("두부", "계란", "다진 대파", "트러플", "김치", "%", "a_b", "사과", "국산 감자", "없는 재료",
                                        "파", "🍎", "다진 마늘", "snack", "\\", "김 치");
        for (int limit : new int[] {1, 3, 10}) {
            Map<String, List<Product>> sql = repository.byKeywords(keywords, limit);
            Map<String, List<Product>> mem = index.byKeywords(keywords, limit);
            assertThat(new LinkedHashSet<>(mem.keySet()), is(new LinkedHashSet<>(sql.keySet())));
            for (String k : keywords) {
                assertThat(k + " limit " + limit, mem.get(k), is(sql.get(k)));
            }
        }
        // the in-stock-first rule is exercised: 김치 9008 (in stock) before 9009 (same score, none left)
        List<Long> kimchi = index.byKeywords(List.of("김치"), 1000).get("김치").stream().map(Product::id).toList();
        assertThat(kimchi.indexOf(9008L), is(0));
        assertThat(kimchi.indexOf(9009L), greaterThan(kimchi.indexOf(9008L)));
    }
}
