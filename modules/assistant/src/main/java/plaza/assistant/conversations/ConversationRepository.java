package plaza.assistant.conversations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * Owns {@code conversations} and {@code messages}. Every read and write is scoped by the owner's
 * user id, so another user's conversation is simply not found. Plain JDBC: the turn save composes
 * {@link #turnCtes} with the usage tables' CTEs into one auto-committed statement.
 */
public final class ConversationRepository {

    private static final String COLUMNS = "id, user_id, title, model, prompt_id, system_prompt, summary, summary_through, "
                                          + "summary_tokens, created_at, updated_at";
    private final DataSource dataSource;

    public ConversationRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void create(Conversation c) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement(
                     "insert into conversations (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, c.id());
            ps.setString(2, c.userId());
            ps.setString(3, c.title());
            ps.setString(4, c.model());
            ps.setObject(5, c.promptId());
            ps.setString(6, c.systemPrompt());
            ps.setString(7, c.summary());
            ps.setLong(8, c.summaryThrough());
            ps.setInt(9, c.summaryTokens());
            ps.setTimestamp(10, Timestamp.from(c.createdAt()));
            ps.setTimestamp(11, Timestamp.from(c.updatedAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Saving a conversation failed", e);
        }
    }

    public Optional<Conversation> find(String userId, UUID id) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("select " + COLUMNS + " from conversations where id = ? and user_id = ?")) {
            ps.setObject(1, id);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(conversation(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading a conversation failed", e);
        }
    }

    /** A conversation and its messages after the summary checkpoint. */
    public record WithMessages(Conversation conversation, List<StoredMessage> unsummarized) {

        /** What {@link #version} reads for this state. */
        public Version version() {
            return new Version(conversation.summaryThrough(), unsummarized.size());
        }
    }

    /** What the reply path needs to know is unchanged: the summary checkpoint and how many messages follow it. */
    public record Version(long summaryThrough, long unsummarized) {
    }

    /**
     * The user's conversation's {@link Version} (empty when the user has no such conversation): one
     * index lookup, no message contents — what confirms a cached {@link WithMessages}.
     */
    public Optional<Version> version(String userId, UUID id) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement(
                     "select c.summary_through, (select count(*) from messages m where m.conversation_id = c.id "
                     + "and m.seq > c.summary_through) from conversations c where c.id = ? and c.user_id = ?")) {
            ps.setObject(1, id);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Version(rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading a conversation failed", e);
        }
    }

    /**
     * The user's conversation with the messages its summary does not cover yet, in one round trip
     * (what every reply reads before calling the model).
     */
    public Optional<WithMessages> findWithUnsummarized(String userId, UUID id) {
        String columns = java.util.Arrays.stream(COLUMNS.split(", ")).map(c -> "c." + c).collect(java.util.stream.Collectors.joining(", "));
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement(
                     "select " + columns + ", m.id as m_id, m.seq, m.role, m.content, m.status, m.tokens, m.created_at as m_created "
                     + "from conversations c left join messages m on m.conversation_id = c.id and m.seq > c.summary_through "
                     + "where c.id = ? and c.user_id = ? order by m.seq")) {
            ps.setObject(1, id);
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                Conversation conversation = null;
                List<StoredMessage> messages = new ArrayList<>();
                while (rs.next()) {
                    if (conversation == null) {
                        conversation = conversation(rs);
                    }
                    UUID messageId = rs.getObject("m_id", UUID.class);
                    if (messageId != null) {
                        messages.add(new StoredMessage(messageId, rs.getLong("seq"), id, rs.getString("role"), rs.getString("content"),
                                                       rs.getString("status"), rs.getInt("tokens"), rs.getTimestamp("m_created").toInstant()));
                    }
                }
                return conversation == null ? Optional.empty() : Optional.of(new WithMessages(conversation, messages));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading a conversation failed", e);
        }
    }

    /** The user's conversations, most recently active first, strictly after the cursor position. */
    public List<Conversation> list(String userId, int limit, Instant beforeUpdated, UUID beforeId) {
        String sql = "select " + COLUMNS + " from conversations where user_id = ?"
                     + (beforeUpdated != null ? " and (updated_at, id) < (?, ?)" : "")
                     + " order by updated_at desc, id desc limit ?";
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, userId);
            if (beforeUpdated != null) {
                ps.setTimestamp(i++, Timestamp.from(beforeUpdated));
                ps.setObject(i++, beforeId);
            }
            ps.setInt(i, limit);
            List<Conversation> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(conversation(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Listing conversations failed", e);
        }
    }

    public Optional<Conversation> rename(String userId, UUID id, String title) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement(
                     "update conversations set title = ?, updated_at = now() where id = ? and user_id = ? returning " + COLUMNS)) {
            ps.setString(1, title);
            ps.setObject(2, id);
            ps.setString(3, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(conversation(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Renaming a conversation failed", e);
        }
    }

    /** Deletes the conversation and (by cascade) all its messages; false when the user has no such conversation. */
    public boolean delete(String userId, UUID id) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("delete from conversations where id = ? and user_id = ?")) {
            ps.setObject(1, id);
            ps.setString(2, userId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Deleting a conversation failed", e);
        }
    }

    /** Messages with {@code seq > afterSeq}, oldest first (0: all of them). */
    public List<StoredMessage> messages(UUID conversationId, long afterSeq) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement(
                     "select id, seq, conversation_id, role, content, status, tokens, created_at from messages "
                     + "where conversation_id = ? and seq > ? order by seq")) {
            ps.setObject(1, conversationId);
            ps.setLong(2, afterSeq);
            List<StoredMessage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredMessage(rs.getObject(1, UUID.class), rs.getLong(2), rs.getObject(3, UUID.class),
                                              rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7),
                                              rs.getTimestamp(8).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading messages failed", e);
        }
    }

    /**
     * Stores a new summary checkpoint unless another one was stored since {@code expectedThrough}
     * was read (two replies summarizing at once: the first wins, the second's work is dropped).
     */
    public boolean saveCheckpoint(UUID conversationId, long expectedThrough, String summary, long through, int tokens) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement(
                     "update conversations set summary = ?, summary_through = ?, summary_tokens = ? "
                     + "where id = ? and summary_through = ?")) {
            ps.setString(1, summary);
            ps.setLong(2, through);
            ps.setInt(3, tokens);
            ps.setObject(4, conversationId);
            ps.setLong(5, expectedThrough);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Saving a summary checkpoint failed", e);
        }
    }

    /** One message of a turn being saved. */
    public record NewMessage(UUID id, String role, String content, String status, int tokens) {
    }

    /**
     * Common table expressions that insert a turn of {@code messages} messages, in order, touching
     * (and locking) the conversation, as part of a bigger statement: {@code turn_c} is the touched
     * conversation (none when it was deleted meanwhile: then nothing is inserted) and {@code turn_m}
     * returns the inserted messages' {@code id, seq, created_at}. Bind with {@link #bindTurn}.
     */
    public static String turnCtes(int messages) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < messages; i++) {
            values.append(i == 0 ? "" : ", ").append("(?::uuid, ?::varchar, ?::text, ?::varchar, ?::integer, ").append(i).append(')');
        }
        return "turn_c as (update conversations set updated_at = now() where id = ? returning id), "
               + "turn_m as (insert into messages (id, conversation_id, role, content, status, tokens) "
               + "select v.id, turn_c.id, v.role, v.content, v.status, v.tokens from turn_c cross join (values " + values
               + ") as v (id, role, content, status, tokens, ord) order by v.ord returning id, seq, created_at)";
    }

    /** Binds {@link #turnCtes}' parameters from {@code index} on; returns the next free index. */
    public static int bindTurn(PreparedStatement ps, int index, UUID conversationId, List<NewMessage> messages) throws SQLException {
        int i = index;
        ps.setObject(i++, conversationId);
        for (NewMessage m : messages) {
            ps.setObject(i++, m.id());
            ps.setString(i++, m.role());
            ps.setString(i++, m.content());
            ps.setString(i++, m.status());
            ps.setInt(i++, m.tokens());
        }
        return i;
    }

    private static Conversation conversation(ResultSet rs) throws SQLException {
        return new Conversation(rs.getObject("id", UUID.class), rs.getString("user_id"), rs.getString("title"),
                                rs.getString("model"), rs.getObject("prompt_id", UUID.class), rs.getString("system_prompt"),
                                rs.getString("summary"), rs.getLong("summary_through"), rs.getInt("summary_tokens"),
                                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
