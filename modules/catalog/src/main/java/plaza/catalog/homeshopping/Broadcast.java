package plaza.catalog.homeshopping;

import java.time.OffsetDateTime;
import java.util.List;

import plaza.catalog.products.Product;

/** A home-shopping broadcast: on {@code channel} from {@code startsAt} to {@code endsAt}, selling {@code products}. */
public record Broadcast(long id, Channel channel, String title, OffsetDateTime startsAt, OffsetDateTime endsAt,
                        boolean live, List<Product> products) {

    /** A home-shopping channel. */
    public record Channel(String code, String name) {
    }
}
