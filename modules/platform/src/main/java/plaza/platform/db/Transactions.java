package plaza.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

/**
 * Plain JDBC transactions for repositories: commit when the work returns, roll back on any failure.
 * A transaction the database aborted to break a deadlock or a serialization conflict is run again
 * (up to {@value #ATTEMPTS} times, after a short random pause), so parallel writes to the same rows
 * all get an answer instead of a 500; the work must therefore do nothing but database work on its
 * connection (or nothing that harms when repeated).
 */
public final class Transactions {

    /** Runs of one transaction before a deadlock is given up on and rethrown. */
    static final int ATTEMPTS = 5;

    private Transactions() {
    }

    /** Work done on one connection inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on a pooled connection and gives the connection back in
     * auto-commit mode. A failure (SQL or not) rolls everything back and is rethrown as it was, after
     * the retries a {@linkplain #aborted(Throwable) deadlock} gets.
     */
    public static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(dataSource, work);
            } catch (SQLException | RuntimeException e) {
                if (attempt >= ATTEMPTS || !aborted(e) || !pause(attempt)) {
                    throw e;
                }
            }
        }
    }

    private static <T> T once(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                // A connection the pool closed after a network failure refuses this too ("Connection is
                // closed", no SQLSTATE): it must not hide the failure that says what happened.
                try {
                    c.setAutoCommit(true);
                } catch (SQLException reset) {
                    e.addSuppressed(reset);
                }
                throw e;
            }
            c.setAutoCommit(true);
            return result;
        }
    }

    /**
     * True when the database rolled the whole transaction back so that running it again may succeed:
     * SQLSTATE 40001 (serialization failure; MariaDB's deadlock 1213 too), PostgreSQL's 40P01
     * (deadlock detected), or MariaDB error 1213, anywhere in the cause chain.
     */
    public static boolean aborted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()) || sql.getErrorCode() == 1213)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the database could not be reached or dropped the connection, so the request may succeed
     * later (answer 503, not 500): no pooled connection in time (Hikari's SQLTransientConnectionException),
     * a connection failure (SQLSTATE class 08, SQLNonTransientConnectionException), or PostgreSQL shutting
     * down or restarting (57P01, 57P02, 57P03), anywhere in the cause chain.
     */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }

    /** Waits a few random milliseconds, more with each attempt, so the rivals do not collide again; false if interrupted. */
    private static boolean pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt + 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
