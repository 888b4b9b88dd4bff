package plaza.catalog.products;

import plaza.platform.events.EventPublisher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.catalog.search.ProductIndex;
import plaza.catalog.search.ProductSearch;
import plaza.platform.http.ConditionalGet;
import plaza.platform.http.Json;
import plaza.platform.http.PageLinks;
import plaza.platform.http.PathParams;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.imports.JsonLinesImport;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /kok}: product search, detail and categories for everyone; create, update, delete and
 * JSON Lines import for the {@code admin} role.
 */
public final class ProductResource implements HttpService {

    /** Most keywords one {@code by-keywords} call may ask about (a recipe's ingredients). */
    public static final int MAX_KEYWORDS = 40;

    private final ProductRepository products;
    private final ProductSearch search;
    private final EventPublisher events;
    private final TokenVerifier tokens;
    private final JsonLinesImport<ProductInput> importer;

    public ProductResource(ProductRepository products, ProductSearch search, TokenVerifier tokens, EventPublisher events,
                           JsonLinesImport<ProductInput> importer) {
        this.products = products;
        this.search = search;
        this.events = events;
        this.tokens = tokens;
        this.importer = importer;
    }

    /** The import that both the admin endpoint and the demo data go through. */
    public static JsonLinesImport<ProductInput> importer(javax.sql.DataSource dataSource, ProductRepository products) {
        return new JsonLinesImport<>(dataSource, ProductInput::from, products::upsert);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/products", this::search)
                .post("/products", tokens.requireRole("admin", this::create))
                .any("/products", Problems.methodNotAllowed("GET", "POST"))
                .get("/products/by-keywords", this::byKeywords)
                .any("/products/by-keywords", Problems.methodNotAllowed("GET"))
                .post("/products/import", tokens.requireRole("admin", this::importLines))
                .any("/products/import", Problems.methodNotAllowed("POST"))
                .get("/products/{id}", this::get)
                .put("/products/{id}", tokens.requireRole("admin", this::update))
                .delete("/products/{id}", tokens.requireRole("admin", this::delete))
                .any("/products/{id}", Problems.methodNotAllowed("GET", "PUT", "DELETE"))
                .get("/categories", this::categories)
                .any("/categories", Problems.methodNotAllowed("GET"));
    }

    /** A page of results as {@code GET /kok/products} answers it. */
    public record SearchResult(List<Product> items, int page, int size, long total, long totalPages, String sort) {
    }

    private void search(ServerRequest req, ServerResponse res) {
        ProductQuery query = ProductQuery.from(req);
        String sort = query.sort().name().toLowerCase(java.util.Locale.ROOT);
        ProductIndex.Hits hits = search.hits(query);
        if (hits == null) { // index not loaded yet: SQL
            ProductRepository.Page page = search.search(query);
            searched(req, query, page.total());
            PageLinks.set(req, res, query.page(), totalPages(page.total(), query.size()));
            ConditionalGet.send(req, res, new SearchResult(page.items(), query.page(), query.size(), page.total(),
                                                           totalPages(page.total(), query.size()), sort));
            return;
        }
        searched(req, query, hits.total());
        PageLinks.set(req, res, query.page(), totalPages(hits.total(), query.size()));
        ConditionalGet.send(req, res, searchResultJson(hits, query.page(), query.size(), sort));
    }

    /** A search with words in it is behaviour worth reporting (browsing a category is not). */
    private void searched(ServerRequest req, ProductQuery query, long results) {
        if (query.q() != null && !query.q().isBlank() && query.page() == 1) {
            events.track(req, tokens, "Products Searched", Map.of("query", query.q(), "results", results));
        }
    }

    /**
     * A {@link SearchResult} as JSON from the index's ready-made item JSON: the same bytes {@code Json.send} would
     * write for it (fields in record order), without serializing the products again for every request.
     */
    public static byte[] searchResultJson(ProductIndex.Hits hits, int page, int size, String sort) {
        // sort is one of the Sort names in lower case: plain ASCII, nothing to escape
        byte[] rest = (",\"page\":" + page + ",\"size\":" + size + ",\"total\":" + hits.total() + ",\"totalPages\":"
                       + totalPages(hits.total(), size) + ",\"sort\":\"" + sort + "\"}").getBytes(StandardCharsets.US_ASCII);
        return hits.itemsJson(ITEMS, rest);
    }

    private static final byte[] ITEMS = "{\"items\":".getBytes(StandardCharsets.UTF_8);

    private static long totalPages(long total, int size) {
        return (total + size - 1) / size;
    }

    /** One keyword's products in {@code by-keywords}. */
    public record KeywordProducts(String keyword, List<Product> products) {
    }

    private void byKeywords(ServerRequest req, ServerResponse res) {
        List<String> raw = new ArrayList<>();
        req.query().all("keyword", List::of).forEach(v -> {
            for (String part : v.split(",")) {
                raw.add(part.trim());
            }
        });
        LinkedHashSet<String> keywords = new LinkedHashSet<>();
        for (String k : raw) {
            if (k.isEmpty()) {
                continue;
            }
            if (k.codePointCount(0, k.length()) > 50) {
                throw QueryParams.invalid("keyword", "each must be at most 50 characters");
            }
            keywords.add(k);
        }
        if (keywords.isEmpty()) {
            throw QueryParams.invalid("keyword", "is required (repeat it, or separate keywords with commas)");
        }
        if (keywords.size() > MAX_KEYWORDS) {
            throw QueryParams.invalid("keyword", "at most " + MAX_KEYWORDS + " keywords");
        }
        int limit = QueryParams.integer(req, "limit", 3, 1, 10);
        Map<String, List<Product>> found = search.byKeywords(List.copyOf(keywords), limit);
        Json.send(res, Map.of("results", found.entrySet().stream()
                .map(e -> new KeywordProducts(e.getKey(), e.getValue())).toList()));
    }

    private void get(ServerRequest req, ServerResponse res) {
        long id = PathParams.id(req, "id");
        Product product = products.find(id).orElseThrow(() -> ProductRepository.notFound(id));
        events.track(req, tokens, "Product Viewed", Map.of("productId", id));
        ConditionalGet.send(req, res, product);
    }

    private void categories(ServerRequest req, ServerResponse res) {
        ConditionalGet.send(req, res, Map.of("categories", products.categories()));
    }

    private void create(ServerRequest req, ServerResponse res) {
        ProductInput input = Json.read(req, ProductInput.class).validated();
        if (input.id() != null) {
            throw QueryParams.invalid("id", "is assigned by the server; use PUT /kok/products/{id} or the import to set it");
        }
        long id = products.create(input);
        search.refreshAfterWrite();
        res.header(HeaderNames.LOCATION, "/kok/products/" + id);
        Json.send(res, Status.CREATED_201, products.find(id).orElseThrow());
    }

    private void update(ServerRequest req, ServerResponse res) {
        long id = PathParams.id(req, "id");
        ProductInput input = Json.read(req, ProductInput.class).validated();
        if (input.id() != null && input.id() != id) {
            throw QueryParams.invalid("id", "must match the id in the path (or be left out)");
        }
        if (!products.update(id, input)) {
            throw ProductRepository.notFound(id);
        }
        search.refreshAfterWrite();
        Json.send(res, products.find(id).orElseThrow());
    }

    private void delete(ServerRequest req, ServerResponse res) {
        long id = PathParams.id(req, "id");
        if (!products.delete(id)) {
            throw ProductRepository.notFound(id);
        }
        search.refreshAfterWrite();
        res.status(Status.NO_CONTENT_204).send();
    }

    private void importLines(ServerRequest req, ServerResponse res) {
        plaza.platform.imports.ImportReport report;
        try {
            report = importer.run(req);
        } finally {
            search.refreshAfterWrite(); // batches committed before a failure are searchable too
        }
        Json.send(res, report);
    }

}
