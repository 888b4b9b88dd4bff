package plaza.recommend.model;

import java.time.Instant;

/**
 * One thing a shopper did to one item, as recommend stores it from the events feed.
 *
 * @param kind view, click, cart, wishlist, purchase, bookmark or search
 * @param item {@code p:<id>} or {@code r:<id>}; null for a search
 * @param basket the feed number of the event: the lines of one order share it
 */
public record Interaction(String shopper, String kind, String item, String query, Instant ts, long basket) {

    /** How much an interaction says about taste. */
    public double weight() {
        return switch (kind) {
            case "purchase" -> 5;
            case "wishlist", "bookmark" -> 4;
            case "cart" -> 3;
            case "click" -> 1.5;
            case "search" -> 1.5;
            default -> 1;
        };
    }

    /** Having it: wishlisted, bookmarked or bought (recent purchases count). */
    public boolean meansHaving() {
        return "wishlist".equals(kind) || "bookmark".equals(kind) || "purchase".equals(kind);
    }
}
