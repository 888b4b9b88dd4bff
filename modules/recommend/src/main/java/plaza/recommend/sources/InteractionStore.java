package plaza.recommend.sources;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import plaza.recommend.model.Interaction;

/** Tables {@code interactions} (what shoppers did, from the feed) and {@code impressions} (what recommend answered). */
public final class InteractionStore implements History {

    private final DataSource dataSource;

    public InteractionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A shopper's last {@code limit} interactions, newest first. */
    @Override
    public List<Interaction> recent(String shopper, int limit) {
        List<Interaction> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT shopper, kind, item, query, ts, feed_seq FROM interactions WHERE shopper = ? ORDER BY feed_seq DESC, item_no LIMIT ?")) {
            ps.setString(1, shopper);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the shopper's interactions failed", e);
        }
        return out;
    }

    /** What the shopper has: items wishlisted, bookmarked or bought since {@code from}. */
    @Override
    public java.util.Set<String> having(String shopper, Instant from) {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT item FROM interactions WHERE shopper = ? AND kind IN ('wishlist', 'bookmark', 'purchase') AND ts >= ? AND item IS NOT NULL")) {
            ps.setString(1, shopper);
            ps.setTimestamp(2, Timestamp.from(from));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading what the shopper has failed", e);
        }
        return out;
    }

    /** Every interaction since {@code from}, oldest first (what a rebuild learns from). */
    public List<Interaction> since(Instant from) throws SQLException {
        List<Interaction> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // a cursor, not the whole table in memory at once
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT shopper, kind, item, query, ts, feed_seq FROM interactions WHERE ts >= ? ORDER BY feed_seq, item_no")) {
                ps.setTimestamp(1, Timestamp.from(from));
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
            } finally {
                c.commit();
            }
        }
        return out;
    }

    private static Interaction row(ResultSet rs) throws SQLException {
        return new Interaction(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getLong(6));
    }

    public void impressions(List<Impression> batch) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO impressions (recomm_id, surface, shopper, items, ts) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Impression i : batch) {
                ps.setString(1, i.recommId());
                ps.setString(2, i.surface());
                ps.setString(3, i.shopper());
                ps.setInt(4, i.items());
                ps.setTimestamp(5, Timestamp.from(i.ts()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public record Impression(String recommId, String surface, String shopper, int items, Instant ts) {
    }

    /** Per surface since {@code from}: responses (impressions), items shown, clicks (events carrying one of its recommIds). */
    public List<Map<String, Object>> stats(Instant from) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT i.surface, count(*), coalesce(sum(i.items), 0),
                       (SELECT count(DISTINCT x.feed_seq) FROM interactions x JOIN impressions j ON j.recomm_id = x.recomm_id
                         WHERE j.surface = i.surface AND j.ts >= ?)
                FROM impressions i WHERE i.ts >= ? GROUP BY i.surface ORDER BY i.surface""")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(from));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long impressions = rs.getLong(2);
                    long clicks = rs.getLong(4);
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("surface", rs.getString(1));
                    s.put("impressions", impressions);
                    s.put("itemsShown", rs.getLong(3));
                    s.put("clicks", clicks);
                    s.put("ctr", impressions == 0 ? 0.0 : Math.round(10000.0 * clicks / impressions) / 10000.0);
                    out.add(s);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the recommendation statistics failed", e);
        }
        return out;
    }
}
