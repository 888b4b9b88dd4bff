package plaza.auth.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import plaza.auth.store.Jdbc;

/** The {@code users} and {@code user_roles} tables. Every method runs on the caller's transaction. */
public final class Users {

    private static final String COLUMNS =
            "user_id, email, name, password_hash, email_verified, disabled, created_at, updated_at, last_login";

    /** Inserts an account; throws the driver's duplicate-key exception when the email is taken. */
    public void insert(Connection c, User user) throws SQLException {
        Jdbc.update(c, "INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    user.id(), user.email(), user.name(), user.passwordHash(), user.emailVerified(), user.disabled(),
                    user.createdAt(), user.updatedAt(), user.lastLogin());
        for (String role : user.roles()) {
            Jdbc.update(c, "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", user.id(), role);
        }
    }

    public Optional<User> findByEmail(Connection c, String normalizedEmail) throws SQLException {
        return findOne(c, "SELECT " + COLUMNS + " FROM users WHERE email = ?", normalizedEmail);
    }

    public Optional<User> findById(Connection c, String id) throws SQLException {
        return findOne(c, "SELECT " + COLUMNS + " FROM users WHERE user_id = ?", id);
    }

    /** Reads and locks the row until the transaction ends. */
    public Optional<User> lockById(Connection c, String id) throws SQLException {
        return findOne(c, "SELECT " + COLUMNS + " FROM users WHERE user_id = ? FOR UPDATE", id);
    }

    public boolean emailTaken(Connection c, String normalizedEmail) throws SQLException {
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT 1 FROM users WHERE email = ?", normalizedEmail);
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    public void recordLogin(Connection c, String id, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE users SET last_login = ? WHERE user_id = ?", now, id);
    }

    public void setPasswordHash(Connection c, String id, String hash, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE users SET password_hash = ?, updated_at = ? WHERE user_id = ?", hash, now, id);
    }

    /** Rehash on login: only replaces the hash that was verified, so a concurrent password change wins. */
    public void replacePasswordHash(Connection c, String id, String oldHash, String newHash) throws SQLException {
        Jdbc.update(c, "UPDATE users SET password_hash = ? WHERE user_id = ? AND password_hash = ?", newHash, id, oldHash);
    }

    public void setName(Connection c, String id, String name, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE users SET name = ?, updated_at = ? WHERE user_id = ?", name, now, id);
    }

    public void markVerified(Connection c, String id, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE users SET email_verified = TRUE, updated_at = ? WHERE user_id = ?", now, id);
    }

    public void setDisabled(Connection c, String id, boolean disabled, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE users SET disabled = ?, updated_at = ? WHERE user_id = ?", disabled, now, id);
    }

    public void addRoles(Connection c, String id, Collection<String> roles) throws SQLException {
        for (String role : roles) {
            Jdbc.update(c, "INSERT IGNORE INTO user_roles (user_id, role) VALUES (?, ?)", id, role);
        }
    }

    /** Deletes the account; its roles, refresh tokens, reset and verification tokens go with it (ON DELETE CASCADE). */
    public boolean delete(Connection c, String id) throws SQLException {
        return Jdbc.update(c, "DELETE FROM users WHERE user_id = ?", id) > 0;
    }

    /** One page of accounts whose email or name contains {@code query} (case-insensitive), oldest first. */
    public List<User> search(Connection c, String query, int offset, int limit) throws SQLException {
        String like = like(query);
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT user_id FROM users WHERE email LIKE ? OR name LIKE ? "
                                                    + "ORDER BY created_at, user_id LIMIT ? OFFSET ?", like, like, limit, offset);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        List<User> users = new ArrayList<>();
        for (String id : ids) {
            findById(c, id).ifPresent(users::add);
        }
        return users;
    }

    public long count(Connection c, String query) throws SQLException {
        String like = like(query);
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT COUNT(*) FROM users WHERE email LIKE ? OR name LIKE ?", like, like);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String like(String query) {
        if (query == null || query.isBlank()) {
            return "%";
        }
        String escaped = query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    private Optional<User> findOne(Connection c, String sql, String param) throws SQLException {
        boolean lock = sql.endsWith("FOR UPDATE");
        if (!lock) {
            // One round trip: the row and its roles together.
            String joined = sql.replace("SELECT " + COLUMNS + " FROM users WHERE",
                                        "SELECT " + COLUMNS + ", (SELECT GROUP_CONCAT(role SEPARATOR ',') FROM user_roles r "
                                        + "WHERE r.user_id = users.user_id) AS roles FROM users WHERE");
            try (PreparedStatement ps = Jdbc.prepare(c, joined, param); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String roles = rs.getString("roles");
                return Optional.of(row(rs, roles == null || roles.isEmpty() ? Set.of() : Set.of(roles.split(","))));
            }
        }
        User row;
        try (PreparedStatement ps = Jdbc.prepare(c, sql, param); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            row = row(rs, Set.of());
        }
        return Optional.of(new User(row.id(), row.email(), row.name(), row.passwordHash(), row.emailVerified(), row.disabled(),
                                    roles(c, row.id()), row.createdAt(), row.updatedAt(), row.lastLogin()));
    }

    private static User row(ResultSet rs, Set<String> roles) throws SQLException {
        return new User(rs.getString("user_id"), rs.getString("email"), rs.getString("name"), rs.getString("password_hash"),
                        rs.getBoolean("email_verified"), rs.getBoolean("disabled"), roles,
                        Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"), Jdbc.instant(rs, "last_login"));
    }

    private Set<String> roles(Connection c, String id) throws SQLException {
        Set<String> roles = new HashSet<>();
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT role FROM user_roles WHERE user_id = ?", id);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                roles.add(rs.getString(1));
            }
        }
        return Set.copyOf(roles);
    }
}
