package plaza.platform;

import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import plaza.platform.db.Database;
import plaza.platform.db.Transactions;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * Transactions the database aborts to break a deadlock are run again. Bad input tried: two
 * transactions that update the same two rows in opposite order at the same time — PostgreSQL kills
 * one (40P01), which used to reach the caller as an exception (a 500).
 */
class TransactionsTest {

    @Test
    void aDeadlockedTransactionIsRunAgainAndBothCommit() throws Exception {
        try (Database db = Database.open(TestPostgres.config(Map.of()).get("db"), "probe")) {
            try (var c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE counters (id INT PRIMARY KEY, n INT NOT NULL)");
                s.execute("INSERT INTO counters VALUES (1, 0), (2, 0)");
            }
            CyclicBarrier bothLockedOne = new CyclicBarrier(2);
            AtomicInteger runs = new AtomicInteger();
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                Future<?> a = pool.submit(() -> crosswise(db, 1, 2, bothLockedOne, runs));
                Future<?> b = pool.submit(() -> crosswise(db, 2, 1, bothLockedOne, runs));
                a.get(30, TimeUnit.SECONDS);
                b.get(30, TimeUnit.SECONDS);
            }
            assertThat("one of them ran again", runs.get(), greaterThan(2));
            try (var c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT SUM(n) FROM counters")) {
                rs.next();
                assertThat(rs.getInt(1), is(4)); // each transaction counted both rows exactly once
            }
        }
    }

    private static Void crosswise(Database db, int first, int second, CyclicBarrier barrier, AtomicInteger runs) throws Exception {
        Transactions.run(db.dataSource(), c -> {
            boolean firstRun = runs.incrementAndGet() <= 2;
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + first);
                if (firstRun) {
                    try {
                        barrier.await(10, TimeUnit.SECONDS); // both hold one row: the next updates deadlock
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = " + second);
            }
            return null;
        });
        return null;
    }
}
