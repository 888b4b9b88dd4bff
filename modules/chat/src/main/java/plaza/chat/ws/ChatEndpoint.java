package plaza.chat.ws;

import plaza.platform.security.UpgradeGate;

import java.util.Optional;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import plaza.platform.db.InterruptShield;
import plaza.platform.http.ProblemException;

/**
 * The listener of one {@code /chat/ws} connection (one instance per connection): authenticates the
 * upgrade, then hands frames to {@link ChatActions}. Pings are answered here (Helidon 4.1.2 does
 * not pong by itself). Database work runs {@linkplain InterruptShield shielded}: cutting a vanished
 * client's connection interrupts this reader thread, and that must not close a pooled JDBC socket.
 */
final class ChatEndpoint implements WsListener {

    private final ChatSockets sockets;
    private UpgradeGate.Admission admission;
    private ChatConnection connection;

    ChatEndpoint(ChatSockets sockets) {
        this.sockets = sockets;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        if (sockets.closing()) {
            throw new WsUpgradeException("Shutting down");
        }
        try {
            admission = sockets.gate().admitUpgrade(prologue, headers);
        } catch (ProblemException e) {
            // Helidon 4.1.2 then routes the request over HTTP, where UpgradeRefusal answers 401/403.
            throw new WsUpgradeException(e.getMessage());
        }
        if (admission.subprotocol()) {
            WritableHeaders<?> answer = WritableHeaders.create();
            answer.set(HeaderValues.create(UpgradeGate.PROTOCOL, UpgradeGate.BEARER_PROTOCOL));
            return Optional.of(answer);
        }
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        // start() must run here: the connection remembers its reader thread (this one)
        connection = sockets.connect(session, admission.caller());
        InterruptShield.run(() -> sockets.open(connection));
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (connection != null) {
            InterruptShield.run(() -> sockets.onText(connection, text, last));
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        if (connection != null) {
            connection.received();
            if (last) {
                connection.reply(Frames.error("bad-request", "Binary frames are not supported; send JSON text.", null));
            }
        }
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        if (connection != null) {
            connection.received();
            byte[] data = new byte[buffer.available()];
            buffer.read(data);
            connection.pong(data);
        }
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        if (connection != null) {
            connection.received();
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        if (connection != null) {
            InterruptShield.run(() -> sockets.finished(connection));
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        if (connection != null) {
            InterruptShield.run(() -> sockets.finished(connection));
        }
    }
}
