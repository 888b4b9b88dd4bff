package plaza.recommend.serve;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import plaza.recommend.model.Item;

/**
 * What catalog said last about the products: which exist and their stock, and what is on air. Refreshed
 * between rebuilds so an out-of-stock or deleted product leaves every list within one refresh. When the last
 * refresh failed ({@code stale}), answers come from the last known state and say so.
 */
public record Availability(Map<Long, Item> products, Set<Long> onAir, Instant asOf, boolean stale) {

    public static Availability unknown() {
        return new Availability(null, Set.of(), Instant.EPOCH, true);
    }

    /** A product still listed by catalog and in stock; with no answer from catalog yet, the model's facts decide. */
    public boolean sellable(Item modelItem) {
        if (products == null) {
            return modelItem.stock() > 0;
        }
        Item now = products.get(modelItem.id());
        return now != null && now.stock() > 0;
    }

    public Availability failed() {
        return new Availability(products, onAir, asOf, true);
    }
}
