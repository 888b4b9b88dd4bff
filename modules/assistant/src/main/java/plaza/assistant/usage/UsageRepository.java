package plaza.assistant.usage;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * Owns {@code usage_records} (one row per model call), {@code usage_daily} (per user, UTC day and
 * model; what quotas and reports read) and {@code quotas} (per-user budget overrides).
 */
public final class UsageRepository {

    /** Totals of one user, day and model. */
    public record DailyUsage(LocalDate day, String model, int calls, int failedCalls, long inputTokens, long outputTokens,
                             int estimatedCalls) {
    }

    /** Tokens used today and this month, and the user's overrides (null: the configured default). */
    public record Standing(long usedToday, long usedThisMonth, Long dailyOverride, Long monthlyOverride) {
    }

    /** A per-user budget override. */
    public record QuotaOverride(String userId, Long dailyTokens, Long monthlyTokens) {
    }

    private final DataSource dataSource;

    public UsageRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a call in its own transaction (a failed call: no turn to join): one statement, auto-committed. */
    public void record(UsageRecord usage) {
        try (Connection conn = dataSource.getConnection()) {
            record(conn, usage);
        } catch (SQLException e) {
            throw new IllegalStateException("Recording usage failed", e);
        }
    }

    /**
     * Two common table expressions, {@code usage_r} and {@code usage_d}, that record a call (its
     * {@code usage_records} row and its share of {@code usage_daily}) as part of a bigger statement,
     * so a turn commits in one round trip and the per-user daily row is locked only while that
     * statement runs. Bind their parameters with {@link #bindRecord}.
     */
    public static final String RECORD_CTES =
            "usage_r as (insert into usage_records (user_id, conversation_id, message_id, model, purpose, outcome, input_tokens, "
            + "output_tokens, estimated, latency_ms, first_token_ms) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning 1), "
            + "usage_d as (insert into usage_daily as d (user_id, day, model, calls, failed_calls, input_tokens, output_tokens, estimated_calls) "
            + "select ?, (now() at time zone 'utc')::date, ?, 1, ?, ?, ?, ? from usage_r "
            + "on conflict (user_id, day, model) do update set calls = d.calls + 1, "
            + "failed_calls = d.failed_calls + excluded.failed_calls, input_tokens = d.input_tokens + excluded.input_tokens, "
            + "output_tokens = d.output_tokens + excluded.output_tokens, estimated_calls = d.estimated_calls + excluded.estimated_calls "
            + "returning 1)";

    /** Binds {@link #RECORD_CTES}' parameters from {@code index} on; returns the next free index. */
    public static int bindRecord(PreparedStatement ps, int index, UsageRecord u) throws SQLException {
        boolean failed = "error".equals(u.outcome()) || "timeout".equals(u.outcome());
        int i = index;
        ps.setString(i++, u.userId());
        ps.setObject(i++, u.conversationId());
        ps.setObject(i++, u.messageId());
        ps.setString(i++, u.model());
        ps.setString(i++, u.purpose());
        ps.setString(i++, u.outcome());
        ps.setInt(i++, u.inputTokens());
        ps.setInt(i++, u.outputTokens());
        ps.setBoolean(i++, u.estimated());
        ps.setInt(i++, u.latencyMs());
        if (u.firstTokenMs() == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setInt(i++, u.firstTokenMs());
        }
        ps.setString(i++, u.userId());
        ps.setString(i++, u.model());
        ps.setInt(i++, failed ? 1 : 0);
        ps.setLong(i++, u.inputTokens());
        ps.setLong(i++, u.outputTokens());
        ps.setInt(i++, u.estimated() ? 1 : 0);
        return i;
    }

    /** Records a call on {@code conn} (in whatever transaction it is in); one round trip. */
    public void record(Connection conn, UsageRecord u) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("with " + RECORD_CTES + " select count(*) from usage_d")) {
            bindRecord(ps, 1, u);
            ps.executeQuery().close();
        }
    }

    /** One round trip: tokens used on {@code today} and since {@code monthStart}, plus the user's overrides. */
    public Standing standing(String userId, LocalDate today, LocalDate monthStart) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement(
                     "select q.daily_tokens, q.monthly_tokens, u.today, u.month from ("
                     + "select coalesce(sum(case when day = ? then input_tokens + output_tokens else 0 end), 0) as today, "
                     + "coalesce(sum(input_tokens + output_tokens), 0) as month "
                     + "from usage_daily where user_id = ? and day >= ?) u left join quotas q on q.user_id = ?")) {
            ps.setDate(1, Date.valueOf(today));
            ps.setString(2, userId);
            ps.setDate(3, Date.valueOf(monthStart));
            ps.setString(4, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Standing(rs.getLong(3), rs.getLong(4), (Long) rs.getObject(1, Long.class), rs.getObject(2, Long.class));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading usage failed", e);
        }
    }

    /** Per day and model from {@code from} to {@code to} (inclusive), oldest first. */
    public List<DailyUsage> daily(String userId, LocalDate from, LocalDate to) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement(
                     "select day, model, calls, failed_calls, input_tokens, output_tokens, estimated_calls from usage_daily "
                     + "where user_id = ? and day between ? and ? order by day, model")) {
            ps.setString(1, userId);
            ps.setDate(2, Date.valueOf(from));
            ps.setDate(3, Date.valueOf(to));
            List<DailyUsage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DailyUsage(rs.getDate(1).toLocalDate(), rs.getString(2), rs.getInt(3), rs.getInt(4),
                                           rs.getLong(5), rs.getLong(6), rs.getInt(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading usage failed", e);
        }
    }

    public Optional<QuotaOverride> quota(String userId) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("select daily_tokens, monthly_tokens from quotas where user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new QuotaOverride(userId, rs.getObject(1, Long.class), rs.getObject(2, Long.class)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading a quota failed", e);
        }
    }

    public void saveQuota(QuotaOverride quota) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement(
                     "insert into quotas (user_id, daily_tokens, monthly_tokens) values (?, ?, ?) on conflict (user_id) do update "
                     + "set daily_tokens = excluded.daily_tokens, monthly_tokens = excluded.monthly_tokens, updated_at = now()")) {
            ps.setString(1, quota.userId());
            ps.setObject(2, quota.dailyTokens(), Types.BIGINT);
            ps.setObject(3, quota.monthlyTokens(), Types.BIGINT);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Saving a quota failed", e);
        }
    }

    public boolean deleteQuota(String userId) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("delete from quotas where user_id = ?")) {
            ps.setString(1, userId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Deleting a quota failed", e);
        }
    }
}
