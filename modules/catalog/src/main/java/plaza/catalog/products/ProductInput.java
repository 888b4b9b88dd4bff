package plaza.catalog.products;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import plaza.platform.http.Json;
import plaza.platform.http.Validation;

/**
 * A product as an admin sends it (one JSON body, or one line of an import). {@code id} is optional (1 to {@link plaza.platform.http.Validation#MAX_CLIENT_ID}):
 * with it a row creates or replaces that product (imports stay repeatable). {@code salePrice} may be
 * given directly or as {@code discountRate}; without either the product is not discounted.
 */
public record ProductInput(Long id, String name, String brand, String category, Integer price, Integer salePrice,
                           Integer discountRate, String imageUrl, Integer stock, String description, BigDecimal rating,
                           Integer reviewCount, List<String> keywords) {

    public static final int MAX_PRICE = 100_000_000;
    public static final int MAX_KEYWORDS = 30;

    /** Converts and validates a parsed JSON object; a 400 naming every bad field otherwise. */
    public static ProductInput from(JsonNode node) {
        return Json.convert(node, ProductInput.class).validated();
    }

    /** This input checked, with defaults applied and the sale price settled. */
    public ProductInput validated() {
        Validation v = new Validation()
                .require("name", name).maxLength("name", name, 200)
                .maxLength("brand", brand, 100)
                .require("category", category).maxLength("category", category, 50)
                .require("price", price).range("price", price, 0, MAX_PRICE)
                .range("salePrice", salePrice, 0, MAX_PRICE)
                .range("discountRate", discountRate, 0, 100)
                .maxLength("imageUrl", imageUrl, 500)
                .range("stock", stock, 0, 1_000_000_000)
                .maxLength("description", description, 5000)
                .range("reviewCount", reviewCount, 0, 1_000_000_000)
                .clientId("id", id);
        if (rating != null) {
            v.check("rating", rating.compareTo(BigDecimal.ZERO) >= 0 && rating.compareTo(BigDecimal.valueOf(5)) <= 0,
                    "must be between 0 and 5");
        }
        if (price != null && salePrice != null) {
            v.check("salePrice", salePrice <= price, "must not be above price");
        }
        if (imageUrl != null && !imageUrl.isBlank()) {
            v.check("imageUrl", isHttpUrl(imageUrl), "must be an http or https URL");
        }
        List<String> cleanKeywords = new ArrayList<>();
        if (keywords != null) {
            v.check("keywords", keywords.size() <= MAX_KEYWORDS, "must have at most " + MAX_KEYWORDS + " entries");
            LinkedHashSet<String> unique = new LinkedHashSet<>();
            for (int i = 0; i < keywords.size(); i++) {
                String k = keywords.get(i);
                if (k == null || k.isBlank()) {
                    v.check("keywords[" + i + "]", false, "must not be empty");
                } else {
                    v.maxLength("keywords[" + i + "]", k, 50);
                    unique.add(k.trim());
                }
            }
            cleanKeywords.addAll(unique);
        }
        v.check();
        int sale = salePrice != null ? salePrice
                : discountRate != null ? roundToTen(price * (100 - discountRate) / 100.0) : price;
        return new ProductInput(id, name.trim(), brand == null ? "" : brand.trim(), category.trim(), price, sale,
                                discountRate(price, sale), blankToNull(imageUrl), stock == null ? 0 : stock,
                                blankToNull(description),
                                rating == null ? BigDecimal.ZERO.setScale(1) : rating.setScale(1, RoundingMode.HALF_UP),
                                reviewCount == null ? 0 : reviewCount, List.copyOf(cleanKeywords));
    }

    /** Whole percent {@code sale} is below {@code price}, rounded down (never shows more than the real discount). */
    static int discountRate(int price, int sale) {
        return price == 0 ? 0 : (int) Math.floor((price - sale) * 100.0 / price);
    }

    private static int roundToTen(double won) {
        return (int) (Math.round(won / 10.0) * 10);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
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
