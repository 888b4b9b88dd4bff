package plaza.platform.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Closes at once a connection whose first byte cannot start an HTTP/1 request (RFC 9112 §2.2: a
 * method token, or an empty line): a TLS ClientHello on the plain port (0x16), an HTTP/2 binary
 * frame, random bytes. Helidon would wait for a request line that never ends until its idle
 * timeout, with the client waiting as long for a handshake reply.
 */
public final class NotHttpSelector implements ServerConnectionSelector {

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        int first = data.read();
        boolean http = first == '\r' || first == '\n'
                || first >= '0' && first <= '9' || first >= 'A' && first <= 'Z' || first >= 'a' && first <= 'z'
                || first > 0 && first < 128 && TOKEN_SYMBOLS.indexOf(first) >= 0;
        return http ? Support.UNSUPPORTED : Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return Set.of();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new ServerConnection() {
            @Override
            public void handle(Semaphore requestSemaphore) {
                // Returning closes the socket.
            }

            @Override
            public Duration idleTime() {
                return Duration.ZERO;
            }

            @Override
            public void close(boolean interrupt) {
            }
        };
    }
}
