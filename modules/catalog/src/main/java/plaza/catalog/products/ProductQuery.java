package plaza.catalog.products;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.webserver.http.ServerRequest;
import plaza.platform.db.SearchKeys;
import plaza.platform.http.QueryParams;

/**
 * A product search as {@code GET /kok/products} takes it: {@code q} (every term must match name,
 * brand, category or a keyword, as a substring), {@code category}, {@code minPrice}/{@code maxPrice}
 * on the sale price, {@code sort} and 1-based {@code page} of {@code size}.
 */
public record ProductQuery(String q, List<String> terms, String category, Integer minPrice, Integer maxPrice,
                           Sort sort, int page, int size) {

    public static final int MAX_Q = 100;
    public static final int MAX_TERMS = 8;
    public static final int MAX_SIZE = 100;
    public static final int MAX_PAGE = 10_000;

    /** Orders a search can come in; every one ends with the id so pages never overlap or skip. */
    public enum Sort {
        RELEVANCE, POPULAR, PRICE_ASC, PRICE_DESC, DISCOUNT, NEWEST;

        static Sort parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw QueryParams.invalid("sort", "must be one of relevance, popular, price_asc, price_desc, discount, newest");
            }
        }
    }

    public static ProductQuery from(ServerRequest req) {
        Optional<String> q = QueryParams.string(req, "q", MAX_Q);
        List<String> terms = q.map(s -> parsed(s).terms()).orElse(List.of());
        String category = QueryParams.string(req, "category", 50).orElse(null);
        Integer min = QueryParams.longValue(req, "minPrice", 0, ProductInput.MAX_PRICE).map(Long::intValue).orElse(null);
        Integer max = QueryParams.longValue(req, "maxPrice", 0, ProductInput.MAX_PRICE).map(Long::intValue).orElse(null);
        if (min != null && max != null && min > max) {
            throw QueryParams.invalid("minPrice", "must not be above maxPrice");
        }
        Sort sort = QueryParams.string(req, "sort", 20).map(Sort::parse)
                .orElse(terms.isEmpty() ? Sort.POPULAR : Sort.RELEVANCE);
        if (sort == Sort.RELEVANCE && terms.isEmpty()) {
            sort = Sort.POPULAR;
        }
        int page = QueryParams.integer(req, "page", 1, 1, MAX_PAGE);
        int size = QueryParams.integer(req, "size", 20, 1, MAX_SIZE);
        return new ProductQuery(q.orElse(null), terms, category, min, max, sort, page, size);
    }

    /** The whole query as one key (for "the name is exactly / starts with what was typed"). */
    public String phrase() {
        return q == null ? "" : parsed(q).phrase();
    }

    /** What a {@code q} parses to; the same few queries come back all the time, so recent ones are kept. */
    private record Parsed(List<String> terms, String phrase) {
    }

    private static final int PARSED_KEPT = 4096;
    private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();

    private static Parsed parsed(String q) {
        Parsed p = PARSED.get(q);
        if (p == null) {
            p = new Parsed(List.copyOf(SearchKeys.terms(q, MAX_TERMS)), SearchKeys.key(q));
            if (PARSED.size() >= PARSED_KEPT) {
                PARSED.clear(); // crude but bounded: a burst of distinct queries costs only re-parsing
            }
            PARSED.put(q, p);
        }
        return p;
    }
}
