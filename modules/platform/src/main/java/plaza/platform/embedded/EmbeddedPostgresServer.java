package plaza.platform.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 14 server from the zonky binaries artifact. With a data directory the
 * cluster is kept between runs (standalone); without one it lives in a temporary folder (tests).
 */
public final class EmbeddedPostgresServer implements EmbeddedServer {

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a server; {@code dataDirectory} null means a throwaway cluster, {@code port} 0 a free port. */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        return start(dataDirectory, null, port);
    }

    /**
     * As {@link #start(Path, int)}, with PostgreSQL's binaries unpacked into {@code binariesDirectory}
     * (null: the JVM's temp dir, zonky's default) — standalone keeps them beside its data.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, Path binariesDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", dataDirectory == null ? "off" : "on");
            if (dataDirectory != null) {
                LeftoverServer.stop(dataDirectory, List.of("/postgres"));
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (binariesDirectory != null) {
                builder.setOverrideWorkingDirectory(binariesDirectory.toFile());
            }
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedPostgresServer(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("Embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized String database(String name) {
        requireSafeName(name);
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + ": " + e.getMessage(), e);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    @Override
    public String username() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    @Override
    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("Embedded PostgreSQL did not stop cleanly", e);
        }
    }

    static void requireSafeName(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Database names are lower-case letters, digits and _: " + name);
        }
    }
}
