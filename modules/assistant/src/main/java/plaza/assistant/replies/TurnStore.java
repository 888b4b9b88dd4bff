package plaza.assistant.replies;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import plaza.assistant.conversations.ConversationRepository;
import plaza.assistant.model.TokenEstimator;
import plaza.assistant.usage.UsageRecord;
import plaza.assistant.usage.UsageRepository;

/**
 * Saves a finished turn in ONE transaction: the conversation row is touched (and locked), then
 * the user message, the assistant message and the usage record are inserted. Either all of it
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
                boolean exists = conversations.touch(conn, turn.conversationId());
                if (exists) {
                    conversations.insertMessage(conn, turn.userMessageId(), turn.conversationId(), "user", userContent,
                                                "complete", TokenEstimator.message(userContent));
                    conversations.insertMessage(conn, turn.messageId(), turn.conversationId(), "assistant", turn.content(),
                                                turn.status(), TokenEstimator.message(turn.content()));
                }
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
