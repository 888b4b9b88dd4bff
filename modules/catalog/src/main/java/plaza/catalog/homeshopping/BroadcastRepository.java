package plaza.catalog.homeshopping;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import plaza.catalog.products.Product;
import plaza.catalog.products.ProductRepository;
import plaza.platform.http.Problem;
import plaza.platform.http.ProblemException;
import plaza.platform.db.Transactions;

/** Owns {@code channels}, {@code broadcasts} and {@code broadcast_products}. Times are stored in UTC. */
public final class BroadcastRepository {

    private static final String COLUMNS = "b.id, b.channel_code, c.name AS channel_name, b.title, b.starts_at, b.ends_at";

    private final DataSource dataSource;
    private final Clock clock;
    private final ZoneId zone;

    public BroadcastRepository(DataSource dataSource, Clock clock, ZoneId zone) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.zone = zone;
    }

    /** Broadcasts on air at any moment of {@code [from, to)}, by start time; one channel or all. */
    public List<Broadcast> overlapping(Instant from, Instant to, Optional<String> channel) {
        String sql = "SELECT " + COLUMNS + " FROM broadcasts b JOIN channels c ON c.code = b.channel_code "
                + "WHERE b.starts_at < ? AND b.ends_at > ?" + (channel.isPresent() ? " AND b.channel_code = ?" : "")
                + " ORDER BY b.starts_at, b.channel_code, b.id";
        List<Object> params = new ArrayList<>(List.of(utc(to), utc(from)));
        channel.ifPresent(params::add);
        return query(sql, params);
    }

    /** Broadcasts on air at {@code now}. */
    public List<Broadcast> liveAt(Instant now, Optional<String> channel) {
        String sql = "SELECT " + COLUMNS + " FROM broadcasts b JOIN channels c ON c.code = b.channel_code "
                + "WHERE b.starts_at <= ? AND b.ends_at > ?" + (channel.isPresent() ? " AND b.channel_code = ?" : "")
                + " ORDER BY b.channel_code, b.starts_at, b.id";
        List<Object> params = new ArrayList<>(List.of(utc(now), utc(now)));
        channel.ifPresent(params::add);
        return query(sql, params);
    }

    public Optional<Broadcast> find(long id) {
        return query("SELECT " + COLUMNS + " FROM broadcasts b JOIN channels c ON c.code = b.channel_code WHERE b.id = ?",
                     List.of(id)).stream().findFirst();
    }

    /** Channels and how many broadcasts each has. */
    public record ChannelInfo(String code, String name, long broadcasts) {
    }

    public List<ChannelInfo> channels() {
        String sql = "SELECT c.code, c.name, COUNT(b.id) FROM channels c LEFT JOIN broadcasts b ON b.channel_code = c.code "
                + "GROUP BY c.code, c.name ORDER BY c.code";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            List<ChannelInfo> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new ChannelInfo(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Channel listing failed", e);
        }
    }

    public boolean isEmpty() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM broadcasts LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return !rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException("Broadcast count failed", e);
        }
    }

    /** Creates a broadcast, or with an id replaces it; unknown product ids are a 400 on {@code productIds}. */
    public long upsert(Connection c, BroadcastInput.Row row) throws SQLException {
        requireProducts(c, row.productIds());
        ensureChannel(c, row.channel(), row.channelName());
        LocalDateTime now = utc(clock.instant());
        long id;
        String sql = "INSERT INTO broadcasts (id, channel_code, title, starts_at, ends_at, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE channel_code = VALUES(channel_code), "
                + "title = VALUES(title), starts_at = VALUES(starts_at), ends_at = VALUES(ends_at), updated_at = VALUES(updated_at)";
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setObject(1, row.id());
            ps.setString(2, row.channel());
            ps.setString(3, row.title());
            ps.setObject(4, utc(row.startsAt()));
            ps.setObject(5, utc(row.endsAt()));
            ps.setObject(6, now);
            ps.setObject(7, now);
            ps.executeUpdate();
            if (row.id() != null) {
                id = row.id();
            } else {
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
        }
        replaceProducts(c, id, row.productIds());
        return id;
    }

    /** Creates a broadcast in its own transaction. */
    public long create(BroadcastInput.Row row) {
        return inTransaction(c -> upsert(c, row));
    }

    /** Replaces broadcast {@code id}; false if there is none. */
    public boolean update(long id, BroadcastInput.Row row) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM broadcasts WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
            upsert(c, new BroadcastInput.Row(id, row.channel(), row.channelName(), row.title(), row.startsAt(), row.endsAt(),
                                             row.productIds()));
            return true;
        });
    }

    public boolean delete(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM broadcasts WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("Broadcast delete failed", e);
        }
    }

    private static void requireProducts(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        Set<Long> known = new HashSet<>();
        String marks = ids.stream().map(i -> "?").collect(Collectors.joining(","));
        try (PreparedStatement ps = ProductRepository.prepare(c, "SELECT id FROM products WHERE id IN (" + marks + ")",
                                                              List.copyOf(ids));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                known.add(rs.getLong(1));
            }
        }
        List<Long> unknown = ids.stream().filter(i -> !known.contains(i)).toList();
        if (!unknown.isEmpty()) {
            throw ProblemException.validation(List.of(new Problem.FieldError("productIds", "unknown products " + unknown)));
        }
    }

    private void ensureChannel(Connection c, String code, String name) throws SQLException {
        String sql = name == null
                ? "INSERT IGNORE INTO channels (code, name, created_at) VALUES (?, ?, ?)"
                : "INSERT INTO channels (code, name, created_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, code);
            ps.setString(2, name == null ? code : name);
            ps.setObject(3, utc(clock.instant()));
            ps.executeUpdate();
        }
    }

    private static void replaceProducts(Connection c, long id, List<Long> productIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM broadcast_products WHERE broadcast_id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        if (productIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO broadcast_products (broadcast_id, position, product_id) VALUES (?, ?, ?)")) {
            for (int i = 0; i < productIds.size(); i++) {
                ps.setLong(1, id);
                ps.setInt(2, i);
                ps.setLong(3, productIds.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private List<Broadcast> query(String sql, List<Object> params) {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            record Head(long id, Broadcast.Channel channel, String title, Instant start, Instant end) {
            }
            List<Head> heads = new ArrayList<>();
            try (PreparedStatement ps = ProductRepository.prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heads.add(new Head(rs.getLong("id"), new Broadcast.Channel(rs.getString("channel_code"), rs.getString("channel_name")),
                                       rs.getString("title"), instant(rs, "starts_at"), instant(rs, "ends_at")));
                }
            }
            Map<Long, List<Product>> products = products(c, heads.stream().map(Head::id).toList());
            return heads.stream().map(h -> new Broadcast(h.id(), h.channel(), h.title(), local(h.start()), local(h.end()),
                                                          !now.isBefore(h.start()) && now.isBefore(h.end()),
                                                          products.getOrDefault(h.id(), List.of()))).toList();
        } catch (SQLException e) {
            throw new IllegalStateException("Broadcast query failed", e);
        }
    }

    private static Map<Long, List<Product>> products(Connection c, List<Long> broadcastIds) throws SQLException {
        Map<Long, List<Product>> out = new LinkedHashMap<>();
        if (broadcastIds.isEmpty()) {
            return out;
        }
        String columns = ProductRepository.SUMMARY_COLUMNS.replaceAll("(^|, )", "$1p.");
        String marks = broadcastIds.stream().map(i -> "?").collect(Collectors.joining(","));
        String sql = "SELECT bp.broadcast_id, " + columns + " FROM broadcast_products bp JOIN products p ON p.id = bp.product_id "
                + "WHERE bp.broadcast_id IN (" + marks + ") ORDER BY bp.broadcast_id, bp.position";
        try (PreparedStatement ps = ProductRepository.prepare(c, sql, List.copyOf(broadcastIds)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong("broadcast_id"), k -> new ArrayList<>()).add(ProductRepository.read(rs, false));
            }
        }
        return out;
    }

    private OffsetDateTime local(Instant t) {
        return t.atZone(zone).toOffsetDateTime();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    private static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private <T> T inTransaction(Transactions.Work<T> work) {
        try {
            return Transactions.run(dataSource, work);
        } catch (SQLException e) {
            throw new IllegalStateException("Broadcast write failed", e);
        }
    }
}
