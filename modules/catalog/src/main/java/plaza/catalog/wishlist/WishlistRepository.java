package plaza.catalog.wishlist;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import plaza.catalog.products.Product;
import plaza.catalog.products.ProductRepository;

/** Owns the {@code wishlist} table: which products each signed-in user keeps an eye on. */
public final class WishlistRepository {

    private final DataSource dataSource;
    private final Clock clock;

    public WishlistRepository(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** A wished-for product and when it was added. */
    public record Entry(Product product, Instant addedAt) {
    }

    public record Page(List<Entry> items, long total) {
    }

    /** Adds a product (again is fine); false when there is no such product. */
    public boolean add(String userId, long productId) {
        String sql = "INSERT INTO wishlist (user_id, product_id, created_at) VALUES (?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE user_id = user_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, userId);
            ps.setLong(2, productId);
            ps.setObject(3, LocalDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
            ps.executeUpdate();
            return true;
        } catch (SQLIntegrityConstraintViolationException e) {
            return false; // foreign key: the product does not exist
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false;
            }
            throw new IllegalStateException("Wishlist add failed", e);
        }
    }

    /** Removes a product; false when it was not on the list. */
    public boolean remove(String userId, long productId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM wishlist WHERE user_id = ? AND product_id = ?")) {
            ps.setString(1, userId);
            ps.setLong(2, productId);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("Wishlist remove failed", e);
        }
    }

    /** The user's list, most recently added first. */
    public Page list(String userId, int page, int size) {
        String columns = ProductRepository.SUMMARY_COLUMNS.replaceAll("(^|, )", "$1p.");
        String sql = "SELECT " + columns + ", w.created_at AS added_at FROM wishlist w JOIN products p ON p.id = w.product_id "
                + "WHERE w.user_id = ? ORDER BY w.created_at DESC, w.product_id DESC LIMIT ? OFFSET ?";
        try (Connection c = dataSource.getConnection()) {
            List<Entry> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, userId);
                ps.setInt(2, size);
                ps.setLong(3, (long) (page - 1) * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new Entry(ProductRepository.read(rs, false),
                                            rs.getObject("added_at", LocalDateTime.class).toInstant(ZoneOffset.UTC)));
                    }
                }
            }
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM wishlist WHERE user_id = ?")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            return new Page(items, total);
        } catch (SQLException e) {
            throw new IllegalStateException("Wishlist listing failed", e);
        }
    }
}
