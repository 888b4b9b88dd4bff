package plaza.events.store;

import java.io.StringReader;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import org.postgresql.PGConnection;

/**
 * Group commit: request threads hand their events to {@link #submit} and wait; one writer thread
 * collects what arrives within {@code linger} (up to {@code maxBatchRows}), COPYs it into a
 * session-local staging table, moves the rows whose messageId was never stored into {@code events}
 * (through {@code event_ids} and {@code INSERT … ON CONFLICT DO NOTHING}), takes the feed numbers,
 * writes their Kafka records into the outbox when Kafka is configured, commits once, and only then
 * completes every waiting request. A full queue is refused at once (the caller answers 503 with
 * Retry-After), never dropped.
 */
public final class EventWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventWriter.class.getName());

    /** What one flush stored: how many rows were new and how many were already stored. */
    public record Outcome(int stored, int duplicates) {
    }

    /** The queue is full: answer 503 and let the client retry. */
    public static final class Overloaded extends RuntimeException {
        public Overloaded() {
            super("The event queue is full", null, false, false);
        }
    }

    private record Pending(List<EventRow> rows, CompletableFuture<Outcome> done) {
    }

    private final DataSource dataSource;
    private final Partitions partitions;
    private final long lingerNanos;
    private final int maxBatchRows;
    private final int maxQueuedRows;
    private final boolean outbox;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedRows = new AtomicInteger();
    private final Thread thread;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter failures;
    private volatile boolean running = true;

    /** {@code outbox}: also write each stored event's Kafka record into {@code events_outbox}, in the same transaction. */
    public EventWriter(DataSource dataSource, Partitions partitions, Duration linger, int maxBatchRows, int maxQueuedRows,
                       boolean outbox) {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.partitions = partitions;
        this.lingerNanos = linger.toNanos();
        this.maxBatchRows = maxBatchRows;
        this.maxQueuedRows = maxQueuedRows;
        var registry = Metrics.globalRegistry();
        stored = registry.getOrCreate(Counter.builder("events.stored").description("Events committed to the log"));
        duplicates = registry.getOrCreate(Counter.builder("events.duplicates").description("Events not stored again: their messageId was already stored"));
        failures = registry.getOrCreate(Counter.builder("events.writer.failures").description("Group commits that failed (their requests got a 503)"));
        registry.getOrCreate(Gauge.builder("events.writer.queued", queuedRows, AtomicInteger::get).description("Events waiting for the writer"));
        thread = Thread.ofPlatform().name("events-writer").daemon(true).start(this::run);
    }

    /**
     * Queues rows for the next group commit; the future completes after the commit (or fails with
     * the database's error). Throws {@link Overloaded} when the queue holds too much already.
     */
    public CompletableFuture<Outcome> submit(List<EventRow> rows) {
        if (!running) {
            throw new Overloaded();
        }
        int n = rows.size();
        if (queuedRows.addAndGet(n) > maxQueuedRows && n > 0) {
            queuedRows.addAndGet(-n);
            throw new Overloaded();
        }
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        queue.add(new Pending(List.copyOf(rows), done));
        return done;
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending> group = new ArrayList<>();
                group.add(first);
                int rows = first.rows().size();
                long deadline = System.nanoTime() + lingerNanos;
                while (rows < maxBatchRows) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    group.add(next);
                    rows += next.rows().size();
                }
                queuedRows.addAndGet(-rows);
                flushGroup(group);
            } catch (InterruptedException e) {
                if (!running) {
                    continue;
                }
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "Event writer loop failed", e);
            }
        }
    }

    private void flushGroup(List<Pending> group) {
        try {
            List<Outcome> outcomes = write(group);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(outcomes.get(i));
            }
        } catch (SQLException | RuntimeException e) {
            failures.increment();
            if (group.size() == 1) {
                LOG.log(Level.WARNING, "Storing " + group.getFirst().rows().size() + " events failed: " + e.getMessage());
                group.getFirst().done().completeExceptionally(e);
                return;
            }
            // One request's rows must not fail the others': try each on its own.
            for (Pending p : group) {
                flushGroup(List.of(p));
            }
        }
    }

    /** One transaction for the whole group; outcomes in the group's order. */
    private List<Outcome> write(List<Pending> group) throws SQLException {
        // The first copy of a messageId in the group is the one stored; later ones are duplicates.
        Set<String> seen = new HashSet<>();
        List<EventRow> unique = new ArrayList<>();
        int[] firstCopies = new int[group.size()];
        Set<LocalDate> days = new HashSet<>();
        for (int i = 0; i < group.size(); i++) {
            for (EventRow row : group.get(i).rows()) {
                if (seen.add(row.messageId())) {
                    unique.add(row);
                    firstCopies[i]++;
                    days.add(Partitions.day(row.ts()));
                }
            }
        }
        partitions.ensure(days);
        Set<String> fresh = new HashSet<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TEMP TABLE IF NOT EXISTS events_staging (ord int, message_id text, type text, event text,"
                              + " user_id text, anonymous_id text, ts timestamptz, original_ts timestamptz, sent_at timestamptz,"
                              + " received_at timestamptz, payload jsonb) ON COMMIT DELETE ROWS");
                }
                try {
                    c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                            "COPY events_staging FROM STDIN WITH (FORMAT csv)", new StringReader(csv(unique)));
                } catch (java.io.IOException e) {
                    throw new SQLException("COPY into the staging table failed: " + e.getMessage(), "08000", e);
                }
                // Ordered by messageId, so two replicas storing overlapping groups lock the ids in the same order.
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "INSERT INTO event_ids (message_id, ts) SELECT message_id, ts FROM events_staging ORDER BY message_id "
                        + "ON CONFLICT DO NOTHING RETURNING message_id")) {
                    while (rs.next()) {
                        fresh.add(rs.getString(1));
                    }
                }
                if (!fresh.isEmpty()) {
                    // The counter row's lock is held to the commit: whoever numbers after us commits after us.
                    long last;
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE feed_counter SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq")) {
                        ps.setLong(1, fresh.size());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            last = rs.getLong(1);
                        }
                    }
                    // Usually every row is new; otherwise only the new ones, by a hash join (not = ANY, which is quadratic).
                    boolean allNew = fresh.size() == unique.size();
                    String insert = "INSERT INTO events (feed_seq, message_id, type, event, user_id, anonymous_id, ts, original_ts, sent_at,"
                            + " received_at, payload) SELECT ? + row_number() OVER (ORDER BY s.ord), s.message_id, s.type, s.event,"
                            + " s.user_id, s.anonymous_id, s.ts, s.original_ts, s.sent_at, s.received_at, s.payload"
                            + " FROM events_staging s"
                            + (allNew ? "" : " JOIN unnest(?::text[]) AS f(message_id) ON f.message_id = s.message_id")
                            + " ORDER BY s.ord";
                    try (PreparedStatement ps = c.prepareStatement(outbox ? Outbox.withRecords(insert) : insert)) {
                        ps.setLong(1, last - fresh.size());
                        if (!allNew) {
                            ps.setArray(2, c.createArrayOf("text", fresh.toArray()));
                        }
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        List<Outcome> outcomes = new ArrayList<>();
        int index = 0;
        for (int i = 0; i < group.size(); i++) {
            int storedHere = 0;
            for (int k = 0; k < firstCopies[i]; k++) {
                if (fresh.contains(unique.get(index++).messageId())) {
                    storedHere++;
                }
            }
            outcomes.add(new Outcome(storedHere, group.get(i).rows().size() - storedHere));
        }
        stored.increment(fresh.size());
        duplicates.increment(group.stream().mapToInt(p -> p.rows().size()).sum() - fresh.size());
        return outcomes;
    }

    private static String csv(List<EventRow> rows) {
        StringBuilder out = new StringBuilder(rows.size() * 256);
        int ord = 0;
        for (EventRow r : rows) {
            out.append(ord++).append(',');
            field(out, r.messageId()).append(',');
            field(out, r.type()).append(',');
            field(out, r.event()).append(',');
            field(out, r.userId()).append(',');
            field(out, r.anonymousId()).append(',');
            field(out, time(r.ts())).append(',');
            field(out, time(r.originalTs())).append(',');
            field(out, time(r.sentAt())).append(',');
            field(out, time(r.receivedAt())).append(',');
            field(out, r.payload()).append('\n');
        }
        return out.toString();
    }

    /** CSV: null is an empty unquoted field, everything else is quoted with quotes doubled. */
    private static StringBuilder field(StringBuilder out, String value) {
        if (value == null) {
            return out;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"') {
                out.append('"');
            }
            out.append(ch);
        }
        return out.append('"');
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** Stops taking events, writes what is queued, then returns. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(new Overloaded());
        }
    }
}
