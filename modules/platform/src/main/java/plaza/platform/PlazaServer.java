package plaza.platform;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

import io.helidon.common.socket.SocketOptions;
import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.health.checks.HealthChecks;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.websocket.WsRouting;
import plaza.platform.http.CorsPolicy;
import plaza.platform.http.Http10Selector;
import plaza.platform.http.HttpFraming;
import plaza.platform.http.NotHttpSelector;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.http.ResponseEncoding;
import plaza.platform.http.SeedEndpoints;
import plaza.platform.observe.HttpObservation;
import plaza.platform.observe.LogShutdown;
import plaza.platform.observe.MetricsEndpoint;
import plaza.platform.observe.Telemetry;
import plaza.platform.openapi.ApiDescriptions;

/**
 * Builds a Plaza web server around some services: problem+json errors, HTTP framing checks, HEAD and
 * HTTP/1.0 ({@link HttpFraming}), gzip ({@link ResponseEncoding}), CORS, RED metrics and access
 * log, seed 003's endpoints, and {@code /observe/{health,metrics}} — on the HTTP port, or on its own
 * port when {@code plaza.observe.port} ({@code PLAZA_OBSERVE_PORT}) is set, as the chart does.
 */
public final class PlazaServer {

    /** Default request body limit; larger bodies get a 413 problem. */
    public static final long DEFAULT_MAX_PAYLOAD = 1024 * 1024;
    private static final System.Logger LOG = System.getLogger(PlazaServer.class.getName());

    private PlazaServer() {
    }

    /** Configures {@code server} for {@code services}; what Main, standalone and tests all call. */
    public static void configure(WebServerConfig.Builder server, Config config, List<? extends PlazaService> services) {
        Telemetry.init(config, services.size() == 1 ? "plaza-" + services.getFirst().name() : "plaza");
        server.config(config.get("server"));
        server.featuresDiscoverServices(false);
        // Helidon's own hook would stop the server while services still close (chat's 1001 goodbyes, replica
        // clean-up); start() and standalone stop things in order themselves.
        server.shutdownHook(false);
        server.maxPayloadSize(config.get("server.max-payload-size").asLong().orElse(DEFAULT_MAX_PAYLOAD));
        // Streamed replies and WebSocket frames are small writes: with Nagle's algorithm on, a write
        // after an unacknowledged one waits for the peer's delayed ACK (~40 ms on Linux). Measured on
        // the assistant's SSE: +48 ms to the first token. Off unless configured otherwise.
        Config connection = config.get("server.connection-options");
        server.connectionOptions(SocketOptions.builder()
                                         .config(connection)
                                         .tcpNoDelay(connection.get("tcp-no-delay").asBoolean().orElse(true))
                                         .build());
        server.directHandlers(Problems.directHandlers());
        // HTTP/1.0 requests and bytes that are no HTTP at all (a TLS handshake) get their own connections;
        // everything else goes on to Helidon's HTTP/1.1 connection, as before.
        server.addConnectionSelector(new NotHttpSelector());
        server.addConnectionSelector(new Http10Selector());
        server.contentEncoding(new ResponseEncoding(
                config.get("plaza.compression.min-size").asInt().orElse(ResponseEncoding.DEFAULT_MIN_SIZE)));

        int observePort = config.get("plaza.observe.port").asInt().orElse(0);
        if (observePort > 0) {
            String host = config.get("server.host").asString().orElse("0.0.0.0");
            server.putSocket("observe", socket -> socket.port(observePort).host(host)
                    .directHandlers(Problems.directHandlers())
                    .addConnectionSelector(new NotHttpSelector())
                    .addConnectionSelector(new Http10Selector())
                    .routing(routing -> {
                        Problems.register(routing);
                        routing.addFilter((chain, req, res) -> HttpFraming.filter(req, res, framed -> framed.proceed(chain::proceed)));
                        routing.register("/observe/metrics", new MetricsEndpoint());
                    }));
        }

        List<HealthCheck> checks = new ArrayList<>();
        checks.add(HealthChecks.deadlockCheck());
        services.forEach(s -> checks.addAll(s.healthChecks()));
        // Observers are listed explicitly: discovered ones would also appear on sockets meant to be private.
        server.addFeature(ObserveFeature.builder()
                                  .observersDiscoverServices(false)
                                  .sockets(observePort > 0 ? List.of("observe") : List.of(WebServer.DEFAULT_SOCKET_NAME))
                                  .addObserver(HealthObserver.builder().details(true).useSystemServices(false)
                                                       .addChecks(checks.toArray(HealthCheck[]::new)).build())
                                  .build());
        CorsPolicy cors = CorsPolicy.create(config.get("cors"));
        boolean accessLog = config.get("plaza.access-log.enabled").asBoolean().orElse(true);
        boolean tracing = config.get("plaza.tracing.enabled").asBoolean().orElse(true);
        HttpObservation observation = new HttpObservation(accessLog, tracing ? Telemetry.tracer() : null,
                                                           Telemetry.exporting(), Telemetry.propagator());
        server.routing(routing -> {
            routing(routing, cors, observation, services);
            if (observePort <= 0) {
                routing.register("/observe/metrics", new MetricsEndpoint());
            }
        });

        ApiDescriptions.register(server, services); // /openapi, /openapi/<service>

        WsRouting.Builder ws = WsRouting.builder();
        services.forEach(s -> s.websockets(ws));
        server.addRouting(ws);
    }

    /** Starts a server for the services; when the JVM stops, the services close first, then the server. */
    public static WebServer start(Config config, List<? extends PlazaService> services) {
        WebServer server = startUnmanaged(config, services);
        LogShutdown.addHook(new Thread(() -> {
            services.forEach(PlazaService::close);
            server.stop();
        }, "plaza-stop"));
        return server;
    }

    /** Starts a server whose caller closes the services and stops it (standalone, which also owns the databases). */
    public static WebServer startUnmanaged(Config config, List<? extends PlazaService> services) {
        WebServerConfig.Builder builder = WebServer.builder();
        configure(builder, config, services);
        WebServer server = builder.build().start();
        services.forEach(s -> s.started(server.port()));
        LOG.log(Level.INFO, "Plaza " + services.stream().map(PlazaService::name).toList()
                + " listening on http://localhost:" + server.port()
                + (server.hasTls() ? " (TLS)" : "")
                + (config.get("plaza.observe.port").asInt().orElse(0) > 0
                           ? ", observe on port " + server.port("observe") : ""));
        return server;
    }

    /**
     * A request line must be ASCII (RFC 9112); Helidon turns raw UTF-8 bytes there into U+FFFD, so
     * {@code curl 'localhost:8080/kok/products?q=김치'} would search for garbage and find nothing.
     * Say so instead of answering wrongly.
     */
    private static void requireEncodedTarget(RoutingRequest req) {
        if (req.path().rawPath().indexOf('\uFFFD') >= 0 || req.query().rawValue().indexOf('\uFFFD') >= 0) {
            throw ProblemException.badRequest(
                    "The request URI holds characters that are not percent-encoded; send non-ASCII text as UTF-8 "
                    + "percent escapes (q=%EA%B9%80%EC%B9%98), e.g. curl -G --data-urlencode 'q=김치' URL.");
        }
        // Helidon decodes parameters lazily and fails with an index error on '%' without two hex digits
        // (?q=%, ?q=%E): that would be a 500 wherever a handler reads one. Checked once here for every route.
        int bad = malformedEscape(req.query().rawValue());
        if (bad >= 0) {
            throw ProblemException.badRequest("The query string has an invalid percent escape at character " + (bad + 1)
                    + ": '%' must be followed by two hexadecimal digits (send a literal % as %25).");
        }
    }

    /** Index of the first '%' not followed by two hex digits, or -1. */
    private static int malformedEscape(String raw) {
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
            if (i + 2 >= raw.length() || !hex(raw.charAt(i + 1)) || !hex(raw.charAt(i + 2))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static void routing(HttpRouting.Builder routing, CorsPolicy cors, HttpObservation observation,
                                List<? extends PlazaService> services) {
        Problems.register(routing);
        // One filter, not three: every filter in Helidon's chain costs every request a chain step (an iterator
        // call and a call through the Filter interface). Observation wraps the checks, so their 400s and 403s
        // are counted and logged (framing refusals as route=unmatched); HttpFraming's closing of the connection
        // comes after, outside.
        routing.addFilter((chain, req, res) -> HttpFraming.filter(req, res, framed -> observation.observe(chain, req, res,
                routed -> framed.proceed(() -> {
                    requireEncodedTarget(req);
                    cors.filter(routed, req, res);
                }))));
        // Straight onto the top-level rules rather than register("/", ...): a registered service is a nested
        // route list, and every request it answers pays for a sub-crawl and a merged copy of its path
        // parameters (measured: 1–2% of a /health request's CPU in standalone, plus the garbage).
        new SeedEndpoints().routing(routing);
        services.forEach(s -> s.routing(routing));
    }
}
