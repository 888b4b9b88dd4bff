package plaza.recommend.sources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import plaza.platform.db.Transactions;
import plaza.platform.http.ServiceClient;

/**
 * Reads events' ordered feed ({@code GET /events/feed?after=&limit=}) into {@code interactions}. Each page is
 * read and stored in one transaction holding {@code feed_cursor}'s row lock, so replicas take turns and an
 * event is stored exactly once; the cursor is recommend's own (a restart resumes where it was).
 *
 * <p>The events understood (Segment's e-commerce names): {@code Product Viewed}, {@code Product Clicked},
 * {@code Product Added} (cart), {@code Product Added to Wishlist}, {@code Order Completed} (its
 * {@code products[].productId}), {@code Products Searched} ({@code query}), {@code Recipe Viewed},
 * {@code Recipe Bookmarked}, {@code Recommendation Clicked}. Any of them may carry {@code recommId} (and
 * {@code surface}): that is a click on a recommendation.
 */
public final class FeedReader {

    private final DataSource dataSource;
    private final ServiceClient events;
    private final ServiceToken token;
    private final int pageSize;

    public FeedReader(DataSource dataSource, ServiceClient events, ServiceToken token, int pageSize) {
        this.dataSource = dataSource;
        this.events = events;
        this.token = token;
        this.pageSize = pageSize;
    }

    /** Reads pages until the feed is exhausted; how many events were read. */
    public int poll() throws SQLException {
        int total = 0;
        while (true) {
            int n = Transactions.run(dataSource, this::page);
            total += n;
            if (n < pageSize) {
                return total;
            }
        }
    }

    private int page(Connection c) throws SQLException {
        long after;
        try (PreparedStatement ps = c.prepareStatement("SELECT after_seq FROM feed_cursor WHERE id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            after = rs.getLong(1);
        }
        JsonNode body = events.getJson("/events/feed", ServiceClient.query("after", after, "limit", pageSize), Optional.of(token.authorization()));
        JsonNode items = body.path("items");
        long next = body.path("next").asLong(after);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO interactions (feed_seq, item_no, shopper, kind, item, query, recomm_id, surface, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING")) {
            for (JsonNode event : items) {
                List<Row> rows = rows(event);
                for (int i = 0; i < rows.size(); i++) {
                    Row r = rows.get(i);
                    ps.setLong(1, event.path("seq").asLong());
                    ps.setInt(2, i);
                    ps.setString(3, r.shopper);
                    ps.setString(4, r.kind);
                    ps.setString(5, r.item);
                    ps.setString(6, r.query);
                    ps.setString(7, r.recommId);
                    ps.setString(8, r.surface);
                    ps.setTimestamp(9, Timestamp.from(r.ts));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE feed_cursor SET after_seq = ?, updated_at = now() WHERE id = 1")) {
            ps.setLong(1, next);
            ps.executeUpdate();
        }
        return items.size();
    }

    public record Row(String shopper, String kind, String item, String query, String recommId, String surface, Instant ts) {
    }

    /** What one feed event means to recommend: no rows for events it does not use. */
    public static List<Row> rows(JsonNode event) {
        List<Row> rows = new ArrayList<>();
        if (!"track".equals(event.path("type").asText())) {
            return rows;
        }
        String shopper = shopper(event);
        if (shopper == null) {
            return rows;
        }
        JsonNode p = event.path("properties");
        Instant ts = parseTime(event.path("timestamp").asText(null));
        String recommId = text(p, "recommId");
        String surface = text(p, "surface");
        String kind = switch (event.path("event").asText()) {
            case "Product Viewed", "Recipe Viewed" -> "view";
            case "Product Clicked", "Recommendation Clicked" -> "click";
            case "Product Added" -> "cart";
            case "Product Added to Wishlist" -> "wishlist";
            case "Order Completed" -> "purchase";
            case "Products Searched" -> "search";
            case "Recipe Bookmarked" -> "bookmark";
            default -> null;
        };
        if (kind == null) {
            return rows;
        }
        if ("search".equals(kind)) {
            String query = text(p, "query");
            if (query != null && !query.isBlank()) {
                rows.add(new Row(shopper, kind, null, query.length() > 200 ? query.substring(0, 200) : query, recommId, surface, ts));
            }
            return rows;
        }
        if ("purchase".equals(kind)) {
            for (JsonNode line : p.path("products")) {
                id(line, "productId").ifPresent(id -> rows.add(new Row(shopper, kind, "p:" + id, null, recommId, surface, ts)));
            }
            return rows;
        }
        Optional<Long> recipe = id(p, "recipeId");
        Optional<Long> product = id(p, "productId");
        if (recipe.isPresent() && (product.isEmpty() || event.path("event").asText().startsWith("Recipe"))) {
            rows.add(new Row(shopper, kind, "r:" + recipe.get(), null, recommId, surface, ts));
        } else if (product.isPresent()) {
            rows.add(new Row(shopper, kind, "p:" + product.get(), null, recommId, surface, ts));
        }
        return rows;
    }

    /** {@code u:<userId>} for a signed-in shopper, else {@code a:<anonymousId>}. */
    static String shopper(JsonNode event) {
        String user = event.path("userId").asText(null);
        if (user != null && !user.isEmpty()) {
            return "u:" + user;
        }
        String anonymous = event.path("anonymousId").asText(null);
        return anonymous == null || anonymous.isEmpty() ? null : "a:" + anonymous;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isValueNode() || v.isNull()) {
            return null;
        }
        String s = v.asText();
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    /** A positive id sent as a number or a numeric string. */
    private static Optional<Long> id(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.canConvertToLong() && v.asLong() > 0) {
            return Optional.of(v.asLong());
        }
        if (v.isTextual()) {
            try {
                long id = Long.parseLong(v.asText().trim());
                return id > 0 ? Optional.of(id) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Instant parseTime(String text) {
        try {
            return text == null ? Instant.now() : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.now();
        }
    }
}
