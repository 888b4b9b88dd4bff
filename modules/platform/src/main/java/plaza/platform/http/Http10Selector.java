package plaza.platform.http;

import java.net.SocketAddress;
import java.security.Principal;
import java.security.cert.Certificate;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Answers HTTP/1.0 requests, which Helidon 4.1.2 refuses with a 400 (its HTTP/1 parser accepts only
 * {@code HTTP/1.1}; ApacheBench {@code ab} speaks 1.0). The connection goes to Helidon's own HTTP/1
 * connection with the request line's version read as 1.1 (the same length, changed in place), and
 * its requests carry a {@link Peer} so that {@link HttpFraming} knows them: no Host needed, and the
 * connection is closed after the response — HTTP/1.0's default; its keep-alive is not offered. The
 * status line says HTTP/1.1, as RFC 9110 §2.5 asks of a server.
 */
public final class Http10Selector implements ServerConnectionSelector {

    private static final String HTTP_10 = " HTTP/1.0\r";

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        int lf = data.indexOf((byte) '\n');
        if (lf < 0) {
            return Support.UNKNOWN;
        }
        return data.readString(lf).endsWith(HTTP_10) ? Support.SUPPORTED : Support.UNSUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return Set.of();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        Http1Config http1 = ctx.listenerContext().config().protocols().stream()
                .filter(Http1Config.class::isInstance)
                .map(Http1Config.class::cast)
                .findFirst()
                .orElseGet(() -> Http1Config.builder().build());
        return Http1ConnectionSelector.builder().config(http1).build().connection(new Http10Context(ctx));
    }

    /** The client of an HTTP/1.0 connection. */
    public record Peer(PeerInfo peer) implements PeerInfo {
        @Override
        public SocketAddress address() {
            return peer.address();
        }

        @Override
        public String host() {
            return peer.host();
        }

        @Override
        public int port() {
            return peer.port();
        }

        @Override
        public Optional<Principal> tlsPrincipal() {
            return peer.tlsPrincipal();
        }

        @Override
        public Optional<Certificate[]> tlsCertificates() {
            return peer.tlsCertificates();
        }
    }

    /** The connection as Helidon made it, but read through {@link #asHttp11}. */
    private static final class Http10Context implements ConnectionContext {
        private final ConnectionContext ctx;
        private final DataReader reader;
        private final Peer peer;

        Http10Context(ConnectionContext ctx) {
            this.ctx = ctx;
            this.reader = asHttp11(ctx.dataReader());
            this.peer = new Peer(ctx.remotePeer());
        }

        /** The same bytes, but with the first request line's "HTTP/1.0" read as "HTTP/1.1". */
        private static DataReader asHttp11(DataReader original) {
            boolean[] first = {true};
            return new DataReader(() -> {
                original.ensureAvailable(); // at the end of the stream, throws what Helidon expects there
                byte[] bytes = original.readBytes(original.available());
                if (first[0]) {
                    first[0] = false;
                    // The selector saw this line whole in the buffered bytes, which come first.
                    int lf = indexOf(bytes, (byte) '\n');
                    if (lf >= HTTP_10.length()) {
                        bytes[lf - 2] = '1';
                    }
                }
                return bytes;
            });
        }

        private static int indexOf(byte[] bytes, byte b) {
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public PeerInfo remotePeer() {
            return peer;
        }

        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
