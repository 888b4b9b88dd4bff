package plaza.auth.abuse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.helidon.config.Config;
import plaza.auth.store.Hashes;
import plaza.auth.store.Jdbc;

/**
 * Per-account lockout with growing backoff, in the {@code login_failures} table keyed by the SHA-256 of the
 * normalised email (so an address without an account behaves exactly like one with an account). After
 * {@code threshold} failures (5) within {@code window} (PT1H) the account is locked for {@code base-delay}
 * (PT30S), doubling with every further failure up to {@code max-delay} (PT15M). A successful sign-in or a
 * password reset clears the count. Config {@code auth.lockout.*}; {@code enabled} (true).
 */
public final class LoginLockout {

    private final boolean enabled;
    private final int threshold;
    private final Duration window;
    private final Duration baseDelay;
    private final Duration maxDelay;

    public LoginLockout(boolean enabled, int threshold, Duration window, Duration baseDelay, Duration maxDelay) {
        this.enabled = enabled;
        this.threshold = Math.max(1, threshold);
        this.window = window;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    public static LoginLockout create(Config lockout) {
        return new LoginLockout(lockout.get("enabled").asBoolean().orElse(true),
                                lockout.get("threshold").asInt().orElse(5),
                                lockout.get("window").as(Duration.class).orElse(Duration.ofHours(1)),
                                lockout.get("base-delay").as(Duration.class).orElse(Duration.ofSeconds(30)),
                                lockout.get("max-delay").as(Duration.class).orElse(Duration.ofMinutes(15)));
    }

    /** An account's failure record: whether there is one, and how long it stays locked (if it is locked now). */
    public record State(boolean recorded, Optional<Duration> lockedFor) {
    }

    public State state(Connection c, String normalizedEmail, Instant now) throws SQLException {
        if (!enabled) {
            return new State(false, Optional.empty());
        }
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT locked_until FROM login_failures WHERE email_hash = ?", key(normalizedEmail));
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new State(false, Optional.empty());
            }
            Instant until = Jdbc.instant(rs, "locked_until");
            return new State(true, until != null && until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty());
        }
    }

    /** How long the account stays locked, if it is locked now. */
    public Optional<Duration> lockedFor(Connection c, String normalizedEmail, Instant now) throws SQLException {
        return state(c, normalizedEmail, now).lockedFor();
    }

    /** Counts a failure; returns the lock it started, if this failure locked the account. */
    public Optional<Duration> recordFailure(Connection c, String normalizedEmail, Instant now) throws SQLException {
        if (!enabled) {
            return Optional.empty();
        }
        String key = key(normalizedEmail);
        // One upsert takes the row's lock whether or not the row exists: no SELECT … FOR UPDATE of a
        // missing row, whose gap lock made parallel failures of one account deadlock on the INSERT.
        // MariaDB assigns left to right, so both IFs still see the old last_failure.
        Instant windowStart = now.minus(window);
        Jdbc.update(c, "INSERT INTO login_failures (email_hash, failures, last_failure, locked_until) VALUES (?, 1, ?, NULL) "
                       + "ON DUPLICATE KEY UPDATE failures = IF(last_failure > ?, failures + 1, 1), "
                       + "locked_until = IF(last_failure > ?, locked_until, NULL), last_failure = VALUES(last_failure)",
                    key, now, windowStart, windowStart);
        int failures;
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT failures FROM login_failures WHERE email_hash = ?", key);
             ResultSet rs = ps.executeQuery()) {
            failures = rs.next() ? rs.getInt(1) : 1;
        }
        Duration lock = null;
        if (failures >= threshold) {
            int doublings = Math.min(failures - threshold, 30);
            long millis = baseDelay.toMillis() * (1L << doublings);
            lock = millis <= 0 || millis > maxDelay.toMillis() ? maxDelay : Duration.ofMillis(millis);
            Jdbc.update(c, "UPDATE login_failures SET locked_until = ? WHERE email_hash = ?", now.plus(lock), key);
        }
        return Optional.ofNullable(lock);
    }

    public void clear(Connection c, String normalizedEmail) throws SQLException {
        Jdbc.update(c, "DELETE FROM login_failures WHERE email_hash = ?", key(normalizedEmail));
    }

    public int purge(Connection c, Instant now) throws SQLException {
        return Jdbc.update(c, "DELETE FROM login_failures WHERE last_failure < ? AND (locked_until IS NULL OR locked_until < ?)",
                           now.minus(window), now);
    }

    private static String key(String normalizedEmail) {
        return Hashes.sha256(normalizedEmail == null ? "" : normalizedEmail);
    }
}
