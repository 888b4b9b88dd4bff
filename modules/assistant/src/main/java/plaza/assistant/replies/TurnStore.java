package plaza.assistant.replies;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import plaza.assistant.conversations.ConversationRepository;
import plaza.assistant.model.TokenEstimator;
import plaza.assistant.usage.UsageRecord;
import plaza.assistant.usage.UsageRepository;

/**
 * Saves a finished turn in ONE transaction (three round trips: the messages as one batch that also
 * touches and locks the conversation row, the usage record, the commit). Either all of it
 * is visible or none of it; a failed model call saves only its usage record, never a half turn.
 */
final class TurnStore {

    private final DataSource dataSource;
    private final ConversationRepository conversations;
    private final UsageRepository usage;

    TurnStore(DataSource dataSource, ConversationRepository conversations, UsageRepository usage) {
        this.dataSource = dataSource;
        this.conversations = conversations;
        this.usage = usage;
    }

    /** Saves the turn; false (and only the usage saved) when the conversation was deleted meanwhile. */
    boolean save(TurnResult turn, String userContent, UsageRecord record) {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                boolean exists = conversations.insertTurn(conn, turn.conversationId(), List.of(
                        new ConversationRepository.NewMessage(turn.userMessageId(), "user", userContent, "complete",
                                                              TokenEstimator.message(userContent)),
                        new ConversationRepository.NewMessage(turn.messageId(), "assistant", turn.content(), turn.status(),
                                                              TokenEstimator.message(turn.content()))));
                usage.record(conn, record);
                conn.commit();
                return exists;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Saving a turn failed", e);
        }
    }
}
