package plaza.standalone;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.helidon.config.Config;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.embedded.EmbeddedMariaDbServer;
import plaza.platform.embedded.EmbeddedPostgresServer;
import plaza.platform.embedded.EmbeddedServer;

/**
 * Where standalone's services keep their data: a database per service ({@code plaza_<service>}) on
 * an embedded PostgreSQL or MariaDB whose files live under the data directory, so a restart keeps
 * every record — or, when {@code <service>.db.url} is set (env {@code AUTH_DB_URL}, …), that
 * external database instead. Both embedded servers start in parallel.
 */
final class Databases implements AutoCloseable {

    private final Config config;
    private final DataDirectoryLock lock;
    private final Future<EmbeddedServer> postgres;
    private final Future<EmbeddedServer> mariadb;

    Databases(Config config, Path dataDirectory) {
        this.config = config;
        // Before anything touches the directory: the leftover-server cleanup below would otherwise stop the
        // database servers of another standalone that is running on this same directory.
        this.lock = DataDirectoryLock.acquire(dataDirectory);
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        boolean embeddedPostgres = config.get("standalone.embedded-postgres").asBoolean().orElse(true);
        boolean embeddedMariaDb = config.get("standalone.embedded-mariadb").asBoolean().orElse(true);
        postgres = embeddedPostgres
                ? executor.submit(() -> EmbeddedPostgresServer.start(dataDirectory.resolve("postgres"),
                                                                     dataDirectory.resolve("postgres-bin"),
                                                                     config.get("standalone.postgres-port").asInt().orElse(0)))
                : CompletableFuture.completedFuture(null);
        mariadb = embeddedMariaDb
                ? executor.submit(() -> EmbeddedMariaDbServer.start(dataDirectory.resolve("mariadb/data"),
                                                                    dataDirectory.resolve("mariadb/base"),
                                                                    config.get("standalone.mariadb-port").asInt().orElse(0), true))
                : CompletableFuture.completedFuture(null);
        executor.shutdown();
    }

    /** Waits until both embedded servers run (or failed: then this throws). */
    void awaitStarted() {
        server(Database.Vendor.POSTGRESQL);
        server(Database.Vendor.MARIADB);
    }

    /** The migrated database of {@code service}. */
    Database open(Database.Vendor vendor, String service) {
        Config external = config.get(service + ".db");
        if (external.get("url").exists()) {
            return Database.open(external, service);
        }
        EmbeddedServer server = server(vendor);
        if (server == null) {
            throw new IllegalStateException("Set " + service + ".db.url (env " + service.toUpperCase() + "_DB_URL): the embedded "
                                            + vendor.folder() + " is switched off");
        }
        String url = server.database("plaza_" + service.replace('-', '_'));
        return Database.open(PlazaConfig.override(Config.empty(), Map.of(
                "db.url", url, "db.username", server.username(), "db.password", server.password())).get("db"), service);
    }

    EmbeddedServer server(Database.Vendor vendor) {
        try {
            return (vendor == Database.Vendor.POSTGRESQL ? postgres : mariadb).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Embedded " + vendor.folder() + " failed to start: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        for (Future<EmbeddedServer> server : java.util.List.of(postgres, mariadb)) {
            try {
                EmbeddedServer s = server.get();
                if (s != null) {
                    s.close();
                }
            } catch (Exception ignored) {
                // it never started; nothing to stop
            }
        }
        lock.close();
    }
}
