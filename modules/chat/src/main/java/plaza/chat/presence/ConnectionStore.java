package plaza.chat.presence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * Owns {@code chat_replicas}, {@code chat_connections} and {@code chat_connection_groups}: who is
 * connected where and in which groups (seed 002's Connections table). Rows go on disconnect, and
 * those of a replica that died go when its heartbeat expires.
 */
public final class ConnectionStore {

    private final DataSource db;
    private final String replicaId;

    /** A user online in a group. */
    public record Member(String id, String name) {
    }

    public ConnectionStore(DataSource db, String replicaId) {
        this.db = db;
        this.replicaId = replicaId;
    }

    public String replicaId() {
        return replicaId;
    }

    /** Announces this replica (and drops connections a previous process with the same id left behind). */
    public Set<String> registerReplica() {
        Set<String> groups = removeConnectionsOf(replicaId);
        update("""
               INSERT INTO chat_replicas (replica_id) VALUES (?)
               ON CONFLICT (replica_id) DO UPDATE SET heartbeat_at = now(), started_at = now()
               """, replicaId);
        return groups;
    }

    public void heartbeat() {
        if (update("UPDATE chat_replicas SET heartbeat_at = now() WHERE replica_id = ?", replicaId) == 0) {
            update("INSERT INTO chat_replicas (replica_id) VALUES (?) ON CONFLICT DO NOTHING", replicaId);
        }
    }

    /** Removes replicas silent for longer than {@code expiry} and their connections; returns the groups touched. */
    public Set<String> expireDeadReplicas(Duration expiry) {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM chat_replicas WHERE heartbeat_at < now() - make_interval(secs => ?) AND replica_id <> ?")) {
                ps.setDouble(1, expiry.toMillis() / 1000.0);
                ps.setString(2, replicaId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH gone AS (
                        DELETE FROM chat_connections c
                        WHERE NOT EXISTS (SELECT 1 FROM chat_replicas r WHERE r.replica_id = c.replica_id)
                        RETURNING connection_id
                    )
                    SELECT DISTINCT cg.group_id FROM chat_connection_groups cg JOIN gone USING (connection_id)
                    """)) {
                return groups(ps);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Expiring dead replicas failed", e);
        }
    }

    public void open(UUID connectionId, String userId, String userName) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO chat_connections (connection_id, user_id, user_name, replica_id) VALUES (?, ?, ?, ?)")) {
            ps.setObject(1, connectionId);
            ps.setString(2, userId);
            ps.setString(3, userName);
            ps.setString(4, replicaId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Registering the connection failed", e);
        }
    }

    /** Removes a connection; returns the groups it was in. */
    public Set<String> close(UUID connectionId) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH g AS (SELECT group_id FROM chat_connection_groups WHERE connection_id = ?),
                     d AS (DELETE FROM chat_connections WHERE connection_id = ?)
                SELECT group_id FROM g
                """)) {
            ps.setObject(1, connectionId);
            ps.setObject(2, connectionId);
            return groups(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("Removing the connection failed", e);
        }
    }

    public void join(UUID connectionId, String groupId) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO chat_connection_groups (connection_id, group_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, connectionId);
            ps.setString(2, groupId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Joining failed", e);
        }
    }

    public void leave(UUID connectionId, String groupId) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM chat_connection_groups WHERE connection_id = ? AND group_id = ?")) {
            ps.setObject(1, connectionId);
            ps.setString(2, groupId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Leaving failed", e);
        }
    }

    /** Users with at least one connection in the group (first {@code limit} by id), and how many there are. */
    public Online online(String groupId, int limit) {
        try (Connection c = db.getConnection()) {
            return online(c, groupId, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading presence failed", e);
        }
    }

    /** What to do with a group's members while its presence lock is held, on the same connection. */
    @FunctionalInterface
    public interface LockedWork {
        void run(Connection c, Online online) throws SQLException;
    }

    /**
     * Reads who is online in a group and hands it to {@code work} in one transaction holding the
     * group's presence lock. Presence announcements made this way commit (and so NOTIFY) in the
     * order their snapshots were taken, on every replica: without it, an older snapshot ("1 online")
     * taken before a concurrent join could commit after the newer one and be the last word each
     * member saw.
     */
    public void withMembers(String groupId, int limit, LockedWork work) {
        try (Connection c = db.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                    ps.setInt(1, PRESENCE_LOCK_CLASS);
                    ps.setString(2, groupId);
                    ps.execute();
                }
                work.run(c, online(c, groupId, limit));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Announcing presence failed", e);
        }
    }

    /** The first key of the presence advisory locks (ASCII "PRES"), the group's hash is the second. */
    private static final int PRESENCE_LOCK_CLASS = 0x50524553;

    private static Online online(Connection c, String groupId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT u.user_id, u.user_name, count(*) OVER () AS total FROM (
                    SELECT DISTINCT ON (c.user_id) c.user_id, c.user_name
                    FROM chat_connection_groups cg JOIN chat_connections c USING (connection_id)
                    WHERE cg.group_id = ?
                    ORDER BY c.user_id
                ) u ORDER BY u.user_id LIMIT ?
                """)) {
            ps.setString(1, groupId);
            ps.setInt(2, limit);
            List<Member> members = new ArrayList<>();
            int total = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(new Member(rs.getString(1), rs.getString(2)));
                    total = rs.getInt(3);
                }
            }
            return new Online(members, total);
        }
    }

    /** Online users of a group: the first ones and the total. */
    public record Online(List<Member> members, int total) {
    }

    /** Removes this replica and its connections (clean shutdown); returns the groups touched. */
    public Set<String> closeReplica() {
        Set<String> groups = removeConnectionsOf(replicaId);
        update("DELETE FROM chat_replicas WHERE replica_id = ?", replicaId);
        return groups;
    }

    private Set<String> removeConnectionsOf(String replica) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH gone AS (DELETE FROM chat_connections WHERE replica_id = ? RETURNING connection_id)
                SELECT DISTINCT cg.group_id FROM chat_connection_groups cg JOIN gone USING (connection_id)
                """)) {
            ps.setString(1, replica);
            return groups(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("Removing connections failed", e);
        }
    }

    private int update(String sql, String arg) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Updating replica state failed", e);
        }
    }

    private static Set<String> groups(PreparedStatement ps) throws SQLException {
        Set<String> groups = new LinkedHashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                groups.add(rs.getString(1));
            }
        }
        return groups;
    }
}
