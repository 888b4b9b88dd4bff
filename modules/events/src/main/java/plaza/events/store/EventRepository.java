package plaza.events.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import plaza.platform.db.Transactions;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;

/**
 * Reads and erases the log, and owns {@code identities} (anonymous ids linked to users). Writing
 * new events is {@link EventWriter}'s job. A user's events are those with their userId plus the
 * anonymous ones (no userId) of every anonymous id linked to them.
 */
public final class EventRepository {

    private static final String COLUMNS = "feed_seq, message_id, type, event, user_id, anonymous_id, ts, original_ts, sent_at, received_at, payload";
    private static final String OWNED_BY = "(e.user_id = ? OR (e.user_id IS NULL AND e.anonymous_id IN "
                                           + "(SELECT anonymous_id FROM identities WHERE user_id = ?)))";

    private final DataSource dataSource;

    public EventRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Filters of a user's event list; {@code before} is the keyset position of the last event of the previous page. */
    public record Query(String event, String type, Instant from, Instant to, Position before, int limit) {
    }

    /** Where a newest-first page ended: the last event's time and feed number. */
    public record Position(Instant ts, long seq) {
    }

    public record Page(List<Map<String, Object>> items, Position next) {
    }

    /** One bucket of {@link #stats}. */
    public record Bucket(Instant start, String type, String event, long count, long users) {
    }

    /** Links an anonymous id to a user unless it is linked already (to anyone: the first link wins). */
    public void link(String anonymousId, String userId, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO identities (anonymous_id, user_id, linked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, anonymousId);
            ps.setString(2, userId);
            ps.setObject(3, now.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Linking an anonymous id failed", e);
        }
    }

    /** A user's events, newest first. */
    public Page forUser(String userId, Query q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM events e WHERE " + OWNED_BY);
        List<Object> args = new ArrayList<>(List.of(userId, userId));
        if (q.event() != null) {
            sql.append(" AND e.event = ?");
            args.add(q.event());
        }
        if (q.type() != null) {
            sql.append(" AND e.type = ?");
            args.add(q.type());
        }
        if (q.from() != null) {
            sql.append(" AND e.ts >= ?");
            args.add(q.from().atOffset(ZoneOffset.UTC));
        }
        if (q.to() != null) {
            sql.append(" AND e.ts < ?");
            args.add(q.to().atOffset(ZoneOffset.UTC));
        }
        if (q.before() != null) {
            sql.append(" AND (e.ts, e.feed_seq) < (?, ?)");
            args.add(q.before().ts().atOffset(ZoneOffset.UTC));
            args.add(q.before().seq());
        }
        sql.append(" ORDER BY e.ts DESC, e.feed_seq DESC LIMIT ?");
        args.add(q.limit() + 1);
        List<Map<String, Object>> items = new ArrayList<>();
        Position last = null;
        Position next = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (items.size() == q.limit()) {
                        next = last;
                        break;
                    }
                    items.add(row(rs, false));
                    last = new Position(instant(rs, "ts"), rs.getLong("feed_seq"));
                }
            }
        } catch (SQLException e) {
            throw failed("Reading events failed", e);
        }
        return new Page(items, next);
    }

    /** Events after feed number {@code after}, in feed (= commit) order, each with its {@code seq}. */
    public List<Map<String, Object>> feed(long after, int limit) {
        List<Map<String, Object>> items = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM events WHERE feed_seq > ? ORDER BY feed_seq LIMIT ?")) {
            ps.setLong(1, after);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(row(rs, true));
                }
            }
        } catch (SQLException e) {
            throw failed("Reading the feed failed", e);
        }
        return items;
    }

    /** Erases a user's events and the anonymous ids linked to them (with those ids' events); how many events went. */
    public long erase(String userId) {
        try {
            return Transactions.run(dataSource, c -> {
                long n;
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM events e WHERE " + OWNED_BY)) {
                    ps.setString(1, userId);
                    ps.setString(2, userId);
                    n = ps.executeUpdate();
                }
                // Not yet published: the erased events must not reach Kafka either.
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM events_outbox WHERE message_key = ? OR message_key IN "
                                                               + "(SELECT anonymous_id FROM identities WHERE user_id = ?)")) {
                    ps.setString(1, userId);
                    ps.setString(2, userId);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM identities WHERE user_id = ?")) {
                    ps.setString(1, userId);
                    ps.executeUpdate();
                }
                return n;
            });
        } catch (SQLException e) {
            throw failed("Erasing events failed", e);
        }
    }

    /** Counts and distinct users (or anonymous ids, for events without a user) per bucket, type and event. */
    public List<Bucket> stats(Instant from, Instant to, String event, String interval) {
        String sql = "SELECT date_trunc('" + ("hour".equals(interval) ? "hour" : "day") + "', ts AT TIME ZONE 'UTC') AS bucket, type, event,"
                     + " count(*) AS n, count(DISTINCT coalesce(user_id, 'anonymous:' || anonymous_id)) AS users"
                     + " FROM events WHERE ts >= ? AND ts < ?" + (event != null ? " AND event = ?" : "")
                     + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT 100000";
        List<Bucket> buckets = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, from.atOffset(ZoneOffset.UTC));
            ps.setObject(2, to.atOffset(ZoneOffset.UTC));
            if (event != null) {
                ps.setString(3, event);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    buckets.add(new Bucket(rs.getObject("bucket", java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC),
                                           rs.getString("type"), rs.getString("event"), rs.getLong("n"), rs.getLong("users")));
                }
            }
        } catch (SQLException e) {
            throw failed("Counting events failed", e);
        }
        return buckets;
    }

    /** A read that failed: 503 with Retry-After when the database is away (the client may retry), else a bug. */
    private static RuntimeException failed(String what, SQLException e) {
        if (Transactions.unreachable(e)) {
            return ProblemException.unavailable("The event store is not reachable at the moment; retry shortly.", Duration.ofSeconds(5));
        }
        return new IllegalStateException(what, e);
    }

    /** The stored event in Segment's shape: timestamp is the stored (corrected) time. */
    private static Map<String, Object> row(ResultSet rs, boolean withSeq) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        if (withSeq) {
            m.put("seq", rs.getLong("feed_seq"));
        }
        String type = rs.getString("type");
        m.put("messageId", rs.getString("message_id"));
        m.put("type", type);
        String event = rs.getString("event");
        if (event != null) {
            m.put("track".equals(type) ? "event" : "name", event);
        }
        putIfPresent(m, "userId", rs.getString("user_id"));
        putIfPresent(m, "anonymousId", rs.getString("anonymous_id"));
        JsonNode payload = readStored(rs.getString("payload"));
        if (payload instanceof ObjectNode o) {
            o.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue()));
        }
        m.put("timestamp", instant(rs, "ts"));
        putIfPresent(m, "originalTimestamp", instant(rs, "original_ts"));
        putIfPresent(m, "sentAt", instant(rs, "sent_at"));
        m.put("receivedAt", instant(rs, "received_at"));
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /**
     * Stored JSON as it is: it passed the client-input rules on the way in, and jsonb spells numbers out (1e300 as 301
     * digits), past the 100-character limit Json.MAPPER puts on client numbers; Jackson's default (1,000) holds any double.
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper STORED = new com.fasterxml.jackson.databind.ObjectMapper();

    private static JsonNode readStored(String json) {
        try {
            return STORED.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Stored event payload is not JSON", e);
        }
    }
}
