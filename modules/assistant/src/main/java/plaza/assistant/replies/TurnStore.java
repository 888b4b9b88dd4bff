package plaza.assistant.replies;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import plaza.assistant.conversations.ConversationRepository;
import plaza.assistant.conversations.StoredMessage;
import plaza.assistant.model.TokenEstimator;
import plaza.assistant.usage.UsageRecord;
import plaza.assistant.usage.UsageRepository;

/**
 * Saves a finished turn in ONE statement, auto-committed: the conversation touched (and locked),
 * the user message and the reply inserted in order, the usage record and its daily total — one
 * round trip, and the per-user {@code usage_daily} row stays locked only while that statement
 * runs (with a transaction of several round trips, concurrent replies of one user queued on it
 * for a round trip each). PostgreSQL runs a statement with data-modifying CTEs atomically: all of
 * it is visible or none of it. A failed model call saves only its usage record, never a half turn.
 */
final class TurnStore {

    private static final String SAVE = "with " + ConversationRepository.turnCtes(2) + ", " + UsageRepository.RECORD_CTES
                                       + " select id, seq, created_at from turn_m order by seq";

    private final DataSource dataSource;

    TurnStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Saves the turn; returns the two saved messages, or none (and only the usage saved) when the
     * conversation was deleted meanwhile.
     */
    List<StoredMessage> save(TurnResult turn, String userContent, UsageRecord record) {
        List<ConversationRepository.NewMessage> messages = List.of(
                new ConversationRepository.NewMessage(turn.userMessageId(), "user", userContent, "complete",
                                                      TokenEstimator.message(userContent)),
                new ConversationRepository.NewMessage(turn.messageId(), "assistant", turn.content(), turn.status(),
                                                      TokenEstimator.message(turn.content())));
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(SAVE)) {
            int next = ConversationRepository.bindTurn(ps, 1, turn.conversationId(), messages);
            UsageRepository.bindRecord(ps, next, record);
            List<StoredMessage> saved = new ArrayList<>(2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    for (ConversationRepository.NewMessage m : messages) {
                        if (m.id().equals(id)) {
                            saved.add(new StoredMessage(id, rs.getLong(2), turn.conversationId(), m.role(), m.content(), m.status(),
                                                        m.tokens(), rs.getTimestamp(3).toInstant()));
                        }
                    }
                }
            }
            return saved;
        } catch (SQLException e) {
            throw new IllegalStateException("Saving a turn failed", e);
        }
    }
}
