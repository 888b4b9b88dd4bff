package plaza.events.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka outbox ({@code events_outbox}): {@link EventWriter} fills it in the transaction that stores
 * the events (see {@link #withRecords}); the publisher reads it in feed order and deletes what the broker
 * has committed. Feed numbers are taken under one row lock held to the commit, so no row can appear
 * below one already read: reading the lowest numbers is reading in commit order.
 */
public final class Outbox {

    /** One Kafka record waiting to be published. */
    public record Entry(long seq, String key, String messageId, String value, Instant receivedAt) {
    }

    private Outbox() {
    }

    /** The writer's INSERT INTO events … extended to write each inserted event's record into the outbox too. */
    static String withRecords(String insertEvents) {
        String utc = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'";
        return "WITH stored AS (" + insertEvents + " RETURNING feed_seq, message_id, type, event, user_id, anonymous_id, ts,"
               + " original_ts, sent_at, received_at, payload)"
               + " INSERT INTO events_outbox (feed_seq, message_key, message, received_at)"
               + " SELECT feed_seq, coalesce(user_id, anonymous_id),"
               + " jsonb_strip_nulls(jsonb_build_object('seq', feed_seq, 'messageId', message_id, 'type', type,"
               + " CASE WHEN type = 'track' THEN 'event' ELSE 'name' END, event, 'userId', user_id, 'anonymousId', anonymous_id,"
               + " 'timestamp', to_char(ts AT TIME ZONE 'UTC', " + utc + "),"
               + " 'originalTimestamp', to_char(original_ts AT TIME ZONE 'UTC', " + utc + "),"
               + " 'sentAt', to_char(sent_at AT TIME ZONE 'UTC', " + utc + "),"
               + " 'receivedAt', to_char(received_at AT TIME ZONE 'UTC', " + utc + "))) || payload,"
               + " received_at FROM stored";
    }

    /** The oldest {@code limit} records, in feed order. */
    public static List<Entry> next(Connection c, int limit) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT feed_seq, message_key, message->>'messageId', message::text, received_at FROM events_outbox ORDER BY feed_seq LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                          rs.getObject(5, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return entries;
    }

    /** Forgets published records. */
    public static void delete(Connection c, List<Entry> published) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM events_outbox WHERE feed_seq = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", published.stream().map(Entry::seq).toArray()));
            ps.executeUpdate();
        }
    }

    /** Records waiting (tests, and the pending gauge). */
    public static long pending(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM events_outbox"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
