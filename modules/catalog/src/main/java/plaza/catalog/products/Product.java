package plaza.catalog.products;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A Kok product as the API shows it. Prices are whole won; {@code discountRate} is the percentage
 * {@code salePrice} is below {@code price}. {@code description} is left out of lists.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Product(long id, String name, String brand, String category, int price, int salePrice, int discountRate,
                      String imageUrl, int stock, String description, BigDecimal rating, int reviewCount,
                      List<String> keywords, Instant createdAt, Instant updatedAt) {
}
