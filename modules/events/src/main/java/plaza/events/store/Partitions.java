package plaza.events.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import plaza.platform.db.Transactions;

/**
 * Owns the day partitions of {@code events} ({@code events_20261204} holds that UTC day): creates
 * them ahead of time and on demand (a backfill dated last month), drops those past the retention
 * together with their message ids. DDL runs under an advisory lock, so replicas never race on it.
 */
public final class Partitions {

    private static final long DDL_LOCK = 0x6576656e7473L; // "events"
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration retention;
    private final int ahead;
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    public Partitions(DataSource dataSource, Clock clock, Duration retention, int ahead) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.retention = retention;
        this.ahead = ahead;
    }

    /** The first instant still retained: the start of the UTC day {@code retention} before now. */
    public Instant cutoff() {
        return day(clock.instant().minus(retention)).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Makes sure a partition exists for each of these days (cheap when they are known). */
    public void ensure(Set<LocalDate> days) throws SQLException {
        List<LocalDate> missing = days.stream().filter(d -> !known.contains(d)).sorted().toList();
        if (missing.isEmpty()) {
            return;
        }
        Transactions.run(dataSource, c -> {
            lock(c);
            for (LocalDate d : missing) {
                create(c, d);
            }
            return null;
        });
        known.addAll(missing);
    }

    /** Creates today's and the next days' partitions, drops those before the cutoff; the hourly job. */
    public int maintain() throws SQLException {
        LocalDate today = day(clock.instant());
        List<LocalDate> upcoming = new ArrayList<>();
        for (int i = 0; i <= ahead; i++) {
            upcoming.add(today.plusDays(i));
        }
        LocalDate firstKept = day(cutoff());
        int dropped = Transactions.run(dataSource, c -> {
            lock(c);
            for (LocalDate d : upcoming) {
                create(c, d);
            }
            int n = 0;
            for (LocalDate d : existing(c)) {
                if (d.isBefore(firstKept)) {
                    try (Statement s = c.createStatement()) {
                        s.execute("DROP TABLE " + name(d));
                    }
                    known.remove(d);
                    n++;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM event_ids WHERE ts < ?")) {
                ps.setObject(1, cutoff().atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            return n;
        });
        known.addAll(upcoming);
        return dropped;
    }

    /** Days that have a partition now. */
    public List<LocalDate> existing() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return existing(c);
        }
    }

    private static List<LocalDate> existing(Connection c) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT child.relname FROM pg_inherits i JOIN pg_class child ON child.oid = i.inhrelid "
                + "WHERE i.inhparent = 'events'::regclass ORDER BY 1")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name.matches("events_\\d{8}")) {
                    days.add(LocalDate.parse(name.substring(7), SUFFIX));
                }
            }
        }
        return days;
    }

    private static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, DDL_LOCK);
            ps.execute();
        }
    }

    private static void create(Connection c, LocalDate d) throws SQLException {
        try (Statement s = c.createStatement()) {
            // Names and bounds come from a LocalDate, never from input.
            s.execute("CREATE TABLE IF NOT EXISTS " + name(d) + " PARTITION OF events FOR VALUES FROM ('"
                      + d + " 00:00:00+00') TO ('" + d.plusDays(1) + " 00:00:00+00')");
        }
    }

    private static String name(LocalDate d) {
        return "events_" + SUFFIX.format(d);
    }
}
