package plaza.auth.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import plaza.platform.db.Transactions;

/**
 * Plain JDBC for auth's repositories: one transaction per unit of work (commit on success, rollback on any
 * exception), and UTC instants in {@code DATETIME(3)} columns.
 */
public final class Jdbc {

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Work done on one connection inside a transaction. */
    @FunctionalInterface
    public interface Work<T> extends Transactions.Work<T> {
    }

    /** Runs {@code work} in a transaction; SQL failures become {@link IllegalStateException}s (a logged 500). */
    public <T> T transaction(Work<T> work) {
        try {
            return Transactions.run(dataSource, work);
        } catch (SQLException e) {
            throw new IllegalStateException("auth database: " + e.getMessage(), e);
        }
    }

    /** Runs read-only {@code work} on an auto-commit connection (one round trip per statement, no BEGIN/COMMIT). */
    public <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("auth database: " + e.getMessage(), e);
        }
    }

    /**
     * Runs statements that need no atomicity together (each commits on its own), on one connection: saves the
     * BEGIN/COMMIT round trips on hot paths such as a successful login.
     */
    public <T> T autoCommit(Work<T> work) {
        return read(work);
    }

    /** Binds parameters in order: String, Instant, Boolean, Integer, Long, or null. */
    public static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                ps.setObject(i + 1, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
            } else {
                ps.setObject(i + 1, p);
            }
        }
        return ps;
    }

    /** Executes an INSERT/UPDATE/DELETE and returns the number of rows changed. */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** True when {@code e} is a unique-key violation (MariaDB error 1062 / SQLSTATE 23000). */
    public static boolean isDuplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLIntegrityConstraintViolationException
                || t instanceof SQLException s && (s.getErrorCode() == 1062 || "23000".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** Timestamps as the database keeps them (millisecond precision), so what we return equals what we read back. */
    public static Instant now() {
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }
}
