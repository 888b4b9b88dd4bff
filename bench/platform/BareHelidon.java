import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;

/**
 * The framework's own ceiling for bench/platform: Helidon 4.1.2 as Plaza runs it (same jars, same
 * JDK, TCP_NODELAY), one route answering /health and /api/v1/echo with the same bytes, no filters,
 * no observability. The gap between this and standalone is what Plaza adds on top of Helidon.
 * Run by run.sh with the JDK's source launcher: java -cp "modules/standalone/target/libs/*" BareHelidon.java PORT
 */
public final class BareHelidon {

    public static void main(String[] args) {
        byte[] ok = "{\"status\":\"ok\"}".getBytes();
        WebServer.builder()
                .port(Integer.parseInt(args[0]))
                .featuresDiscoverServices(false)
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .routing(r -> r.get("/health", (req, res) -> {
                            res.header(HeaderValues.CONTENT_TYPE_JSON);
                            res.send(ok);
                        })
                        .get("/api/v1/echo", (req, res) -> {
                            res.header(HeaderValues.CONTENT_TYPE_JSON);
                            res.send(("{\"echo\":\"" + req.query().get("q") + "\"}").getBytes());
                        }))
                .build()
                .start();
        System.out.println("bare Helidon ready");
    }
}
