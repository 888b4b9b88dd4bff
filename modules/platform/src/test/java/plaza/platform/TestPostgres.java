package plaza.platform;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.config.Config;
import plaza.platform.config.PlazaConfig;
import plaza.platform.embedded.EmbeddedPostgresServer;

/** The platform's own tests cannot use plaza-testing (it depends on us), so they keep one server here. */
final class TestPostgres {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private TestPostgres() {
    }

    static synchronized EmbeddedPostgresServer server() {
        if (server == null) {
            server = EmbeddedPostgresServer.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    /** Root config with {@code db.*} on a fresh database and the given extra keys. */
    static Config config(Map<String, String> extra) {
        EmbeddedPostgresServer pg = server();
        var values = new java.util.HashMap<>(extra);
        values.put("db.url", pg.database("probe_" + COUNTER.incrementAndGet()));
        values.put("db.username", pg.username());
        values.put("db.password", pg.password());
        return PlazaConfig.override(Config.empty(), values);
    }
}
