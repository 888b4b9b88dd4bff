package plaza.auth.tokens;

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
 * The {@code refresh_tokens} table: opaque tokens stored as SHA-256, grouped in families (one family = one
 * sign-in session). Lifetime {@code auth.refresh-token-ttl} (P30D), renewed on every rotation.
 */
public final class RefreshTokens {

    private final Duration ttl;

    public RefreshTokens(Duration ttl) {
        this.ttl = ttl;
    }

    /** One stored token. */
    public record Stored(String hash, String familyId, String userId, Instant createdAt, Instant expiresAt,
                         Instant rotatedAt, Instant revokedAt, String clientId) {
    }

    /** Stores a new token in {@code familyId} and returns the token itself (the only time it exists in clear). */
    public String issue(Connection c, String userId, String familyId, Instant now) throws SQLException {
        return issue(c, userId, familyId, now, null, null);
    }

    /** The same for a session bound to OAuth client {@code clientId} (null: none), living {@code lifetime} (null: the default). */
    public String issue(Connection c, String userId, String familyId, Instant now, String clientId, Duration lifetime) throws SQLException {
        String token = Hashes.newToken();
        Jdbc.update(c, "INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at, client_id) VALUES (?, ?, ?, ?, ?, ?)",
                    Hashes.sha256(token), familyId, userId, now, now.plus(lifetime != null ? lifetime : ttl), clientId);
        return token;
    }

    /** The stored row for a presented token, locked until the transaction ends. */
    public Optional<Stored> lock(Connection c, String token) throws SQLException {
        if (!Hashes.plausibleToken(token)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT token_hash, family_id, user_id, created_at, expires_at, rotated_at, revoked_at, client_id "
                                                    + "FROM refresh_tokens WHERE token_hash = ? FOR UPDATE", Hashes.sha256(token));
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Stored(rs.getString("token_hash"), rs.getString("family_id"), rs.getString("user_id"),
                                          Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"),
                                          Jdbc.instant(rs, "rotated_at"), Jdbc.instant(rs, "revoked_at"), rs.getString("client_id")));
        }
    }

    public void markRotated(Connection c, String hash, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL", now, hash);
    }

    /** Revokes every token of one session; returns how many were still live. */
    public int revokeFamily(Connection c, String familyId, Instant now) throws SQLException {
        return Jdbc.update(c, "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL", now, familyId);
    }

    /** Revokes one session of {@code userId} (a family id taken from an access token). */
    public int revokeFamilyOf(Connection c, String familyId, String userId, Instant now) throws SQLException {
        return Jdbc.update(c, "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND user_id = ? AND revoked_at IS NULL",
                           now, familyId, userId);
    }

    /** Revokes every session of a user. */
    public int revokeUser(Connection c, String userId, Instant now) throws SQLException {
        return Jdbc.update(c, "UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now, userId);
    }

    /** Revokes every session of a user but {@code keepFamilyId} (a password change keeps the current session). */
    public int revokeUserExcept(Connection c, String userId, String keepFamilyId, Instant now) throws SQLException {
        return Jdbc.update(c, "UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND family_id <> ? AND revoked_at IS NULL",
                           now, userId, keepFamilyId == null ? "" : keepFamilyId);
    }

    /** Forgets tokens that expired more than {@code keep} ago (housekeeping). */
    public int purgeExpired(Connection c, Instant now, Duration keep) throws SQLException {
        return Jdbc.update(c, "DELETE FROM refresh_tokens WHERE expires_at < ?", now.minus(keep));
    }
}
