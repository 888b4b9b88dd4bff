package plaza.platform.db;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import org.flywaydb.core.Flyway;

/**
 * One service's database: a HikariCP pool and the service's Flyway migrations applied at open (under
 * Flyway's lock, so replicas starting together migrate once). Works with PostgreSQL and MariaDB; the
 * vendor comes from the JDBC URL. Repositories use plain JDBC on the pool (no Helidon DbClient: see the
 * README's "Helidon packages").
 *
 * <p>Config ({@code db.*}): {@code url}, {@code username}, {@code password},
 * {@code pool.max-size} (10), {@code pool.connection-timeout} (PT3S), {@code startup-timeout} (PT60S:
 * how long to wait for a database that is not up yet).
 */
public final class Database implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Database.class.getName());

    private final String service;
    private final Vendor vendor;
    private final HikariDataSource dataSource;

    /** The two servers Plaza runs on. */
    public enum Vendor {
        POSTGRESQL("postgresql"), MARIADB("mariadb");

        private final String folder;

        Vendor(String folder) {
            this.folder = folder;
        }

        /** Folder under {@code db/migration/<service>/} holding this vendor's migrations. */
        public String folder() {
            return folder;
        }

        public static Vendor fromUrl(String url) {
            String u = url.toLowerCase(Locale.ROOT);
            if (u.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
                return MARIADB;
            }
            throw new IllegalArgumentException("Unsupported JDBC URL (PostgreSQL or MariaDB expected): " + url);
        }
    }

    private Database(String service, Vendor vendor, HikariDataSource dataSource) {
        this.service = service;
        this.vendor = vendor;
        this.dataSource = dataSource;
    }

    /**
     * Opens the pool, waits for the database up to {@code startup-timeout}, and migrates it with the
     * scripts under {@code classpath:db/migration/<service>/<vendor>}.
     */
    public static Database open(Config db, String service) {
        String url = db.get("url").asString()
                .orElseThrow(() -> new IllegalStateException("db.url (env DB_URL) is not set for service " + service));
        Vendor vendor = Vendor.fromUrl(url);
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        db.get("username").asString().ifPresent(hikari::setUsername);
        db.get("password").asString().ifPresent(hikari::setPassword);
        hikari.setPoolName(service);
        hikari.setMaximumPoolSize(db.get("pool.max-size").asInt().orElse(10));
        hikari.setConnectionTimeout(db.get("pool.connection-timeout").as(Duration.class).orElse(Duration.ofSeconds(3)).toMillis());
        hikari.setValidationTimeout(1000);
        // Start even when the database is down; readiness reports it and the pool recovers by itself.
        hikari.setInitializationFailTimeout(-1);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        Database database = new Database(service, vendor, dataSource);
        try {
            database.migrate(db.get("startup-timeout").as(Duration.class).orElse(Duration.ofSeconds(60)));
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        database.registerMetrics();
        return database;
    }

    private void migrate(Duration startupTimeout) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + service + "/" + vendor.folder())
                .table("flyway_schema_history")
                .load();
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        long backoffMillis = 250;
        while (true) {
            try {
                flyway.migrate();
                return;
            } catch (RuntimeException e) {
                // Only an unreachable database is worth waiting for; a broken migration fails at once with its own error.
                if (System.nanoTime() > deadline || !unreachable(e)) {
                    throw new IllegalStateException("Migrating the " + service + " database failed: " + e.getMessage(), e);
                }
                LOG.log(Level.WARNING, "Database for " + service + " not reachable yet, retrying in " + backoffMillis + " ms");
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the database", ie);
                }
                backoffMillis = Math.min(backoffMillis * 2, 5000);
            }
        }
    }

    /** Connection refused, timed out, or SQLState class 08 (connection exception) anywhere in the chain. */
    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.net.ConnectException
                || t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private void registerMetrics() {
        var registry = Metrics.globalRegistry();
        var pool = dataSource.getHikariPoolMXBean();
        Tag tag = Tag.create("pool", service);
        registry.getOrCreate(Gauge.builder("db.pool.connections.active", pool, p -> p.getActiveConnections())
                                     .tags(java.util.List.of(tag)).description("Connections in use"));
        registry.getOrCreate(Gauge.builder("db.pool.connections.idle", pool, p -> p.getIdleConnections())
                                     .tags(java.util.List.of(tag)).description("Idle connections"));
        registry.getOrCreate(Gauge.builder("db.pool.connections.pending", pool, p -> p.getThreadsAwaitingConnection())
                                     .tags(java.util.List.of(tag)).description("Requests waiting for a connection"));
        registry.getOrCreate(Gauge.builder("db.pool.connections.max", dataSource, ds -> ds.getMaximumPoolSize())
                                     .tags(java.util.List.of(tag)).description("Pool size limit"));
    }

    /** The pool: every repository's statements, transactions, COPY, LISTEN/NOTIFY and streamed imports. */
    public DataSource dataSource() {
        return dataSource;
    }

    public Vendor vendor() {
        return vendor;
    }

    public String service() {
        return service;
    }

    /** Readiness: DOWN while no connection can be had, UP again as soon as one can — no restart needed. */
    public HealthCheck readiness() {
        return new DatabaseReadiness(this);
    }

    /** True when a connection can be taken and validated within a second or so. */
    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
