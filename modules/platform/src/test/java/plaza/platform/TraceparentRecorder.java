package plaza.platform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/** A downstream service for outbound-call tests: answers every request with {@code {}} and keeps the traceparent it was sent. */
final class TraceparentRecorder implements AutoCloseable {

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    TraceparentRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
            byte[] body = "{}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The traceparent header of each request so far ("null" when one came without). */
    List<String> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
