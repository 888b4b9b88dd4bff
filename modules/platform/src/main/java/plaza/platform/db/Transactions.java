package plaza.platform.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** Plain JDBC transactions for repositories: commit when the work returns, roll back on any failure. */
public final class Transactions {

    private Transactions() {
    }

    /** Work done on one connection inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on a pooled connection and gives the connection back in
     * auto-commit mode. A failure (SQL or not) rolls everything back and is rethrown as it was.
     */
    public static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
