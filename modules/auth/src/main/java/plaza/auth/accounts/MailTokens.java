package plaza.auth.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import plaza.auth.store.Hashes;
import plaza.auth.store.Jdbc;

/**
 * Single-use tokens sent by mail: {@code password_resets} (seed 001's table; lifetime
 * {@code auth.password-reset-ttl}, PT1H) and {@code email_verifications} ({@code auth.verification-ttl},
 * P1D). Only the SHA-256 of a token is stored.
 */
public final class MailTokens {

    private final String table;
    private final String tokenColumn;
    private final Duration ttl;

    private MailTokens(String table, String tokenColumn, Duration ttl) {
        this.table = table;
        this.tokenColumn = tokenColumn;
        this.ttl = ttl;
    }

    public static MailTokens passwordResets(Duration ttl) {
        return new MailTokens("password_resets", "reset_token", ttl);
    }

    public static MailTokens emailVerifications(Duration ttl) {
        return new MailTokens("email_verifications", "verification_token", ttl);
    }

    public Duration ttl() {
        return ttl;
    }

    /** A stored token. */
    public record Stored(String hash, String email, String userId, Instant expiresAt, boolean used) {
    }

    /** Stores a new token for the account and returns it in clear (to be mailed). */
    public String issue(Connection c, User user, Instant now) throws SQLException {
        String token = Hashes.newToken();
        Jdbc.update(c, "INSERT INTO " + table + " (" + tokenColumn + ", email, user_id, expires_at, created_at, used) "
                       + "VALUES (?, ?, ?, ?, ?, FALSE)", Hashes.sha256(token), user.email(), user.id(), now.plus(ttl), now);
        return token;
    }

    /** The stored row of a presented token, locked until the transaction ends. */
    public Optional<Stored> lock(Connection c, String token) throws SQLException {
        if (!Hashes.plausibleToken(token)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT " + tokenColumn + ", email, user_id, expires_at, used FROM " + table
                                                    + " WHERE " + tokenColumn + " = ? FOR UPDATE", Hashes.sha256(token));
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Stored(rs.getString(1), rs.getString("email"), rs.getString("user_id"),
                                          Jdbc.instant(rs, "expires_at"), rs.getBoolean("used")));
        }
    }

    /** Marks every unused token of the account used (after one of them was, so the others die with it). */
    public void useAll(Connection c, String userId, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE " + table + " SET used = TRUE, used_at = ? WHERE user_id = ? AND used = FALSE", now, userId);
    }

    public int purge(Connection c, Instant now, Duration keep) throws SQLException {
        return Jdbc.update(c, "DELETE FROM " + table + " WHERE expires_at < ?", now.minus(keep));
    }
}
