package plaza.standalone;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import plaza.platform.PlazaServer;
import plaza.platform.PlazaService;

/**
 * All Plaza services in one process on one port, over embedded databases kept in a data directory
 * ({@code standalone.data-dir}, env {@code STANDALONE_DATA_DIR}, default {@code ./plaza-data}).
 */
public final class Standalone implements AutoCloseable {

    private final Databases databases;
    private final List<PlazaService> services;
    private final WebServer server;

    private Standalone(Databases databases, List<PlazaService> services, WebServer server) {
        this.databases = databases;
        this.services = services;
        this.server = server;
    }

    public static Standalone start(Config config) {
        Path dataDirectory = Path.of(config.get("standalone.data-dir").asString().orElse("plaza-data")).toAbsolutePath();
        Databases databases = new Databases(config, dataDirectory);
        List<PlazaService> services = new ArrayList<>();
        try {
            services(config, databases, services);
            WebServer server = PlazaServer.start(config, services);
            return new Standalone(databases, services, server);
        } catch (RuntimeException e) {
            services.forEach(PlazaService::close);
            databases.close();
            throw e;
        }
    }

    /** Every service, one line each. */
    private static void services(Config config, Databases databases, List<PlazaService> services) {
    }

    public int port() {
        return server.port();
    }

    public List<PlazaService> services() {
        return services;
    }

    Databases databases() {
        return databases;
    }

    /** Stops the server, then the services, then the databases. */
    @Override
    public void close() {
        server.stop();
        services.forEach(PlazaService::close);
        databases.close();
    }
}
