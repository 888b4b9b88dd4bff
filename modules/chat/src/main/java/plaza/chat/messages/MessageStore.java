package plaza.chat.messages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import plaza.chat.ChatMetrics;
import plaza.platform.http.Json;
import plaza.platform.db.Transactions;

/**
 * Owns {@code chat_groups}, {@code chat_group_members}, {@code chat_messages} and {@code chat_reads}.
 * Every ordered event (post, edit, delete) takes its group's next seq and NOTIFYs in the same
 * transaction, so the notification is sent at commit and in commit order.
 */
public final class MessageStore {

    private final DataSource db;
    private final String channel;

    /** A group as stored. */
    public record Group(String groupId, long lastSeq, long purgedSeq, boolean isPrivate, String createdBy) {
    }

    /** A committed post. */
    public record Posted(UUID messageId, long seq, Instant createdAt) {
    }

    /** One replayed event: the seq it is ordered by and its frame. */
    public record Event(long seq, String frame) {
    }

    /** Events after some seq, read in one snapshot with the group's {@code last_seq}. */
    public record Replay(long lastSeq, long purgedSeq, List<Event> events, boolean more) {
    }

    /** A page of history, oldest first. */
    public record Page(List<ChatMessage> messages, boolean hasMore) {
    }

    public MessageStore(DataSource db, String channel) {
        this.db = db;
        this.channel = channel;
    }

    /**
     * The group a caller may join, created (open, or private with the caller as its only member)
     * when it does not exist yet. A private group refuses non-members.
     */
    public Group joinable(String groupId, String userId, boolean createPrivate) {
        if (!createPrivate) {
            Group open = joinOpen(groupId, userId);
            if (open != null) {
                return open;
            }
        }
        try {
            return Transactions.run(db, c -> {
                boolean created;
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO chat_groups (group_id, is_private, created_by) VALUES (?, ?, ?) ON CONFLICT (group_id) DO NOTHING")) {
                    ps.setString(1, groupId);
                    ps.setBoolean(2, createPrivate);
                    ps.setString(3, userId);
                    created = ps.executeUpdate() == 1;
                }
                if (created && createPrivate) {
                    addMember(c, groupId, userId, userId);
                }
                Group group = group(c, groupId).orElseThrow();
                if (group.isPrivate() && !isMember(c, groupId, userId)) {
                    throw ChatException.forbidden("Group " + groupId + " is private; ask its creator for an invitation.");
                }
                return group;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("Joining group failed", e);
        }
    }

    /**
     * The common join in one round trip: creates the group as an open one if it is missing, reads
     * it and whether the user is a member. Null when a concurrent creation hid the row from this
     * statement's snapshot (the caller falls back to the transactional path).
     */
    private Group joinOpen(String groupId, String userId) {
        String sql = """
                WITH ins AS (
                    INSERT INTO chat_groups (group_id, is_private, created_by) VALUES (?, FALSE, ?)
                    ON CONFLICT (group_id) DO NOTHING
                    RETURNING group_id, last_seq, purged_seq, is_private, created_by, TRUE AS member
                )
                SELECT * FROM ins
                UNION ALL
                SELECT g.group_id, g.last_seq, g.purged_seq, g.is_private, g.created_by,
                       EXISTS (SELECT 1 FROM chat_group_members m WHERE m.group_id = g.group_id AND m.user_id = ?)
                FROM chat_groups g WHERE g.group_id = ? AND NOT EXISTS (SELECT 1 FROM ins)
                """;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, groupId);
            ps.setString(2, userId);
            ps.setString(3, userId);
            ps.setString(4, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Group group = new Group(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4), rs.getString(5));
                if (group.isPrivate() && !rs.getBoolean(6)) {
                    throw ChatException.forbidden("Group " + groupId + " is private; ask its creator for an invitation.");
                }
                return group;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Joining group failed", e);
        }
    }

    /** The group if it exists and the user may read it; not-found or forbidden otherwise. */
    public Group readable(String groupId, String userId) {
        try (Connection c = db.getConnection()) {
            Group group = group(c, groupId)
                    .orElseThrow(() -> ChatException.notFound("No group " + groupId + "."));
            if (group.isPrivate() && !isMember(c, groupId, userId)) {
                throw ChatException.forbidden("Group " + groupId + " is private.");
            }
            return group;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading group failed", e);
        }
    }

    /** Lets {@code userId} into a private group; only its creator may invite. */
    public void invite(String groupId, String inviterId, String userId) {
        try (Connection c = db.getConnection()) {
            Group group = group(c, groupId).orElseThrow(() -> ChatException.notFound("No group " + groupId + "."));
            if (!group.isPrivate()) {
                throw ChatException.badRequest("Group " + groupId + " is open; anyone may join it.");
            }
            if (!group.createdBy().equals(inviterId)) {
                throw ChatException.forbidden("Only the creator of " + groupId + " may invite.");
            }
            addMember(c, groupId, userId, inviterId);
        } catch (SQLException e) {
            throw new IllegalStateException("Inviting failed", e);
        }
    }

    /**
     * Stores a message and NOTIFYs it in one statement (one round trip, one transaction): the group
     * row's {@code last_seq + 1} becomes its seq.
     */
    public Posted post(String groupId, String senderId, String senderName, String text) {
        UUID id = UUID.randomUUID();
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String frameTemplate = "{\"type\":\"message\",\"groupId\":" + Envelope.percent(Json.write(groupId))
                               + ",\"messageId\":\"" + id + "\",\"seq\":%1$s,\"sender\":{\"id\":"
                               + Envelope.percent(Json.write(senderId)) + ",\"name\":" + Envelope.percent(Json.write(senderName))
                               + "},\"message\":" + Envelope.percent(Json.write(text))
                               + ",\"createdAt\":\"" + createdAt + "\"}";
        String payload = Envelope.orderedTemplate(groupId, ChatMetrics.currentMicros(), frameTemplate);
        String sql = """
                WITH g AS (
                    UPDATE chat_groups SET last_seq = last_seq + 1 WHERE group_id = ? RETURNING last_seq
                ), m AS (
                    INSERT INTO chat_messages (message_id, group_id, seq, version_seq, sender_id, sender_name, body, created_at)
                    SELECT ?, ?, g.last_seq, g.last_seq, ?, ?, ?, ? FROM g
                    RETURNING seq
                )
                SELECT m.seq, pg_notify(?::text, format(?::text, m.seq)) FROM m
                """;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, groupId);
            ps.setObject(2, id);
            ps.setString(3, groupId);
            ps.setString(4, senderId);
            ps.setString(5, senderName);
            ps.setString(6, text);
            ps.setObject(7, OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC));
            ps.setString(8, channel);
            ps.setString(9, payload);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ChatException.notFound("No group " + groupId + ".");
                }
                return new Posted(id, rs.getLong(1), createdAt);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Storing the message failed", e);
        }
    }

    /** Replaces the text of the caller's own message; the edit is the group's next event. */
    public ChatMessage edit(UUID messageId, String callerId, String text) {
        return change(messageId, callerId, text);
    }

    /** Deletes the caller's own message (its row stays, without text, so seqs stay continuous). */
    public ChatMessage delete(UUID messageId, String callerId) {
        return change(messageId, callerId, null);
    }

    private ChatMessage change(UUID messageId, String callerId, String newText) {
        try {
            return Transactions.run(db, c -> {
                ChatMessage current;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT * FROM chat_messages WHERE message_id = ? FOR UPDATE")) {
                    ps.setObject(1, messageId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw ChatException.notFound("No message " + messageId + ".");
                        }
                        current = message(rs);
                    }
                }
                if (!current.senderId().equals(callerId)) {
                    throw ChatException.forbidden("Only the sender may " + (newText == null ? "delete" : "edit") + " this message.");
                }
                if (current.deletedAt() != null) {
                    throw new ChatException("conflict", "Message " + messageId + " was deleted.");
                }
                long seq;
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE chat_groups SET last_seq = last_seq + 1 WHERE group_id = ? RETURNING last_seq")) {
                    ps.setString(1, current.groupId());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        seq = rs.getLong(1);
                    }
                }
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                ChatMessage changed = newText == null
                        ? new ChatMessage(messageId, current.groupId(), current.seq(), seq, current.senderId(), current.senderName(),
                                          null, current.createdAt(), current.editedAt(), now)
                        : new ChatMessage(messageId, current.groupId(), current.seq(), seq, current.senderId(), current.senderName(),
                                          newText, current.createdAt(), now, null);
                try (PreparedStatement ps = c.prepareStatement(newText == null
                        ? "UPDATE chat_messages SET body = NULL, deleted_at = ?, version_seq = ? WHERE message_id = ?"
                        : "UPDATE chat_messages SET body = ?, edited_at = ?, version_seq = ? WHERE message_id = ?")) {
                    int i = 1;
                    if (newText != null) {
                        ps.setString(i++, newText);
                    }
                    ps.setObject(i++, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    ps.setLong(i++, seq);
                    ps.setObject(i, messageId);
                    ps.executeUpdate();
                }
                notify(c, Envelope.ordered(current.groupId(), seq, ChatMetrics.currentMicros(),
                                           Json.write(changed.toChangeFrame())));
                return changed;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("Changing the message failed", e);
        }
    }

    /** The group's current {@code last_seq}, or -1 when there is no such group. */
    public long lastSeq(String groupId) {
        try (Connection c = db.getConnection()) {
            return group(c, groupId).map(Group::lastSeq).orElse(-1L);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the group failed", e);
        }
    }

    /** {@code last_seq} of several groups at once (the periodic reconcile). */
    public Map<String, Long> lastSeqs(Collection<String> groupIds) {
        Map<String, Long> result = new HashMap<>();
        if (groupIds.isEmpty()) {
            return result;
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT group_id, last_seq FROM chat_groups WHERE group_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("varchar", groupIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getLong(2));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading groups failed", e);
        }
    }

    /**
     * Events after {@code since}, at most {@code limit}, in order: messages created after it (with
     * their current text and marks) at their own seq, and edits/deletes of older messages at the
     * seq of the change. Read in one statement, so {@code lastSeq} and the rows are one snapshot.
     * Null when the group does not exist.
     */
    public Replay since(String groupId, long since, int limit) {
        String sql = """
                SELECT g.last_seq, g.purged_seq, m.*
                FROM chat_groups g
                LEFT JOIN LATERAL (
                    SELECT c.*, CASE WHEN c.seq > ? THEN c.seq ELSE c.version_seq END AS sort_key
                    FROM chat_messages c
                    WHERE c.group_id = g.group_id AND c.version_seq > ?
                    ORDER BY sort_key
                    LIMIT ?
                ) m ON TRUE
                WHERE g.group_id = ?
                ORDER BY m.sort_key
                """;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, since);
            ps.setLong(2, since);
            ps.setInt(3, limit);
            ps.setString(4, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                long lastSeq = -1;
                long purged = 0;
                List<Event> events = new ArrayList<>();
                while (rs.next()) {
                    lastSeq = rs.getLong("last_seq");
                    purged = rs.getLong("purged_seq");
                    if (rs.getObject("message_id") == null) {
                        continue;
                    }
                    ChatMessage m = message(rs);
                    long key = rs.getLong("sort_key");
                    events.add(new Event(key, Json.write(m.seq() > since ? m.toFrame() : m.toChangeFrame())));
                }
                if (lastSeq < 0) {
                    return null;
                }
                return new Replay(lastSeq, purged, events, events.size() >= limit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading events failed", e);
        }
    }

    /** History by seq: {@code after} and/or {@code before} (exclusive), newest {@code limit} when neither. */
    public Page history(String groupId, Long before, Long after, int limit) {
        boolean ascending = before == null && after != null;
        StringBuilder sql = new StringBuilder("SELECT * FROM chat_messages WHERE group_id = ?");
        if (after != null) {
            sql.append(" AND seq > ?");
        }
        if (before != null) {
            sql.append(" AND seq < ?");
        }
        sql.append(ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC").append(" LIMIT ?");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, groupId);
            if (after != null) {
                ps.setLong(i++, after);
            }
            if (before != null) {
                ps.setLong(i++, before);
            }
            ps.setInt(i, limit + 1);
            List<ChatMessage> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(message(rs));
                }
            }
            boolean more = rows.size() > limit;
            if (more) {
                rows.remove(rows.size() - 1);
            }
            if (!ascending) {
                java.util.Collections.reverse(rows);
            }
            return new Page(rows, more);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading history failed", e);
        }
    }

    /** Moves the user's read marker forward (never back, never past the group's last seq); returns the stored marker. */
    public long markRead(String groupId, String userId, long seq) {
        String sql = """
                INSERT INTO chat_reads (group_id, user_id, last_read_seq)
                SELECT group_id, ?, LEAST(?, last_seq) FROM chat_groups WHERE group_id = ?
                ON CONFLICT (group_id, user_id) DO UPDATE
                   SET last_read_seq = GREATEST(chat_reads.last_read_seq, EXCLUDED.last_read_seq), updated_at = now()
                RETURNING last_read_seq
                """;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, userId);
            ps.setLong(2, seq);
            ps.setString(3, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ChatException.notFound("No group " + groupId + ".");
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Storing the read marker failed", e);
        }
    }

    /** Read markers of a group: user id → last read seq. */
    public Map<String, Long> readMarkers(String groupId) {
        Map<String, Long> result = new HashMap<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT user_id, last_read_seq FROM chat_reads WHERE group_id = ?")) {
            ps.setString(1, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getLong(2));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading read markers failed", e);
        }
    }

    /** Removes messages older than {@code retention}; a replay from before them answers recovered:false. */
    public int purgeOlderThan(Duration retention) {
        String sql = """
                WITH d AS (
                    DELETE FROM chat_messages WHERE created_at < ? RETURNING group_id, version_seq
                ), x AS (
                    SELECT group_id, max(version_seq) AS upto, count(*) AS n FROM d GROUP BY group_id
                ), u AS (
                    UPDATE chat_groups g SET purged_seq = GREATEST(g.purged_seq, x.upto) FROM x WHERE g.group_id = x.group_id
                )
                SELECT coalesce(sum(n), 0) FROM x
                """;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, OffsetDateTime.ofInstant(Instant.now().minus(retention), ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Purging old messages failed", e);
        }
    }

    /** NOTIFYs an unordered event (typing, presence, read) outside any transaction. */
    public void publish(String payload) {
        try (Connection c = db.getConnection()) {
            notify(c, payload);
        } catch (SQLException e) {
            throw new IllegalStateException("NOTIFY failed", e);
        }
    }

    /** NOTIFY on a connection the caller holds (sent when its transaction commits). */
    public void publish(Connection c, String payload) throws SQLException {
        notify(c, payload);
    }

    private void notify(Connection c, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, channel);
            ps.setString(2, payload);
            ps.execute();
        }
    }

    private static Optional<Group> group(Connection c, String groupId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT group_id, last_seq, purged_seq, is_private, created_by FROM chat_groups WHERE group_id = ?")) {
            ps.setString(1, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Group(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4), rs.getString(5)));
            }
        }
    }

    private static boolean isMember(Connection c, String groupId, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM chat_group_members WHERE group_id = ? AND user_id = ?")) {
            ps.setString(1, groupId);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void addMember(Connection c, String groupId, String userId, String addedBy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO chat_group_members (group_id, user_id, added_by) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, groupId);
            ps.setString(2, userId);
            ps.setString(3, addedBy);
            ps.executeUpdate();
        }
    }

    private static ChatMessage message(ResultSet rs) throws SQLException {
        return new ChatMessage(rs.getObject("message_id", UUID.class), rs.getString("group_id"), rs.getLong("seq"),
                               rs.getLong("version_seq"), rs.getString("sender_id"), rs.getString("sender_name"),
                               rs.getString("body"), instant(rs, "created_at"), instant(rs, "edited_at"), instant(rs, "deleted_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
