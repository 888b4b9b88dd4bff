package plaza.chat.fanout;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import plaza.chat.ChatMetrics;
import plaza.chat.messages.Envelope;

/**
 * The replica's one LISTEN connection, read by a virtual thread. When the connection drops
 * (database restart, {@code pg_terminate_backend}, network) it reconnects with backoff, LISTENs
 * again and then lets every local group catch up from the table, so nothing committed in between
 * is lost. A connection that silently died is found by a probe query every check interval.
 */
public final class NotificationListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NotificationListener.class.getName());

    private final DataSource db;
    private final String channel;
    private final GroupFanouts fanouts;
    private final Duration checkInterval;
    private final Duration maxBackoff;
    private volatile boolean running = true;
    private volatile Connection current;
    private volatile int backendPid;
    private final Thread thread;

    public NotificationListener(DataSource db, String channel, GroupFanouts fanouts, Duration checkInterval,
                                Duration maxBackoff) {
        this.db = db;
        this.channel = channel;
        this.fanouts = fanouts;
        this.checkInterval = checkInterval;
        this.maxBackoff = maxBackoff;
        this.thread = Thread.ofVirtual().name("chat-listener").unstarted(this::run);
    }

    /** Starts listening; returns once the first LISTEN is in place (or failed once and is retrying). */
    public NotificationListener start() {
        thread.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (current == null && System.nanoTime() < deadline && running) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return this;
    }

    /** PostgreSQL backend pid of the LISTEN connection, 0 while disconnected (tests kill it). */
    public int backendPid() {
        return backendPid;
    }

    public boolean connected() {
        return current != null;
    }

    private void run() {
        long backoff = 100;
        boolean first = true;
        while (running) {
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                    var rs = s.executeQuery("SELECT pg_backend_pid()");
                    rs.next();
                    backendPid = rs.getInt(1);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                current = c;
                if (!first) {
                    ChatMetrics.get().listenerReconnected();
                    LOG.log(Level.INFO, "LISTEN connection re-established; catching up local groups");
                    fanouts.catchUpAll();
                }
                first = false;
                backoff = 100;
                listen(c, pg);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.log(Level.WARNING, "LISTEN connection lost (" + e.getMessage() + "); reconnecting in " + backoff + " ms");
            } finally {
                current = null;
                backendPid = 0;
            }
            if (!running) {
                break;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                break;
            }
            backoff = Math.min(backoff * 2, maxBackoff.toMillis());
        }
    }

    private void listen(Connection c, PGConnection pg) throws SQLException {
        long nextProbe = System.nanoTime() + checkInterval.toNanos();
        int timeout = (int) Math.max(1, Math.min(checkInterval.toMillis(), 1000));
        while (running) {
            PGNotification[] notifications = pg.getNotifications(timeout);
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    Envelope envelope = Envelope.parse(n.getParameter());
                    if (envelope != null) {
                        fanouts.dispatch(envelope);
                    }
                }
            }
            if (System.nanoTime() > nextProbe) {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout((int) Math.max(1, checkInterval.toSeconds()));
                    s.execute("SELECT 1");
                }
                nextProbe = System.nanoTime() + checkInterval.toNanos();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Connection c = current;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
