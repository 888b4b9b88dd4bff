package plaza.platform;

import java.util.List;

import io.helidon.health.HealthCheck;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;

/**
 * One Plaza service as {@link PlazaServer} mounts it: its HTTP routes, its WebSocket endpoints
 * and its health checks. A service's own {@code Main}, {@code standalone} and the tests all mount
 * the same object, so there is exactly one wiring.
 */
public interface PlazaService extends AutoCloseable {

    /** Short name: {@code auth}, {@code chat}, … (logs, metrics, data directories). */
    String name();

    /** Registers the HTTP routes, with their full prefixes ({@code /auth/...}). */
    void routing(HttpRouting.Builder routing);

    /** Registers WebSocket endpoints, if the service has any. */
    default void websockets(WsRouting.Builder ws) {
    }

    /** Readiness/liveness checks (its database, at least). */
    default List<HealthCheck> healthChecks() {
        return List.of();
    }

    /**
     * Called once the server listens, with the port it bound: a service that calls its own process when no URL is
     * configured (recipe asking catalog in standalone) learns the real port even when {@code server.port} is 0.
     */
    default void started(int port) {
    }

    /** Called after the server stopped: close pools, listeners, sockets. */
    @Override
    default void close() {
    }
}
