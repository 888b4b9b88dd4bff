package plaza.chat.ws;

import plaza.platform.security.UpgradeGate;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import plaza.chat.ChatMetrics;
import plaza.chat.ChatSettings;
import plaza.chat.fanout.GroupFanouts;
import plaza.chat.presence.Presence;
import plaza.platform.security.Caller;

/**
 * The WebSocket side of one chat replica: its open connections, their health (server pings, dead
 * and stuck connections), and the shutdown that closes each with 1001 so clients reconnect to
 * another replica.
 */
public final class ChatSockets {

    private static final System.Logger LOG = System.getLogger(ChatSockets.class.getName());

    private final ChatSettings settings;
    private final UpgradeGate gate;
    private final GroupFanouts fanouts;
    private final Presence presence;
    private final ChatActions actions;
    private final Map<String, ChatConnection> connections = new ConcurrentHashMap<>();
    private volatile boolean closing;

    public ChatSockets(ChatSettings settings, UpgradeGate gate, GroupFanouts fanouts, Presence presence, ChatActions actions) {
        this.settings = settings;
        this.gate = gate;
        this.fanouts = fanouts;
        this.presence = presence;
        this.actions = actions;
    }

    /** A listener for a new connection ({@code WsRouting.endpoint(path, sockets::listener)}). */
    public WsListener listener() {
        return new ChatEndpoint(this);
    }

    UpgradeGate gate() {
        return gate;
    }

    boolean closing() {
        return closing;
    }

    public int size() {
        return connections.size();
    }

    /** Registers a new connection and starts its writer; on the reader thread, which the connection remembers. */
    ChatConnection connect(WsSession session, Caller caller) {
        ChatConnection connection = new ChatConnection(this, caller, settings.sendQueue());
        connection.start(session);
        connections.put(connection.connectionId(), connection);
        ChatMetrics.get().connectionOpened();
        return connection;
    }

    /** Records a connected connection in the database (presence). */
    void open(ChatConnection connection) {
        Caller caller = connection.caller();
        try {
            presence.connections().open(connection.id(), caller.id(), connection.userName());
        } catch (RuntimeException e) {
            // The chat still works; only presence misses this connection until it joins a group.
            LOG.log(Level.WARNING, "Could not record connection " + connection.connectionId() + ": " + e.getMessage());
        }
        if (closing) {
            connection.close(1001, "server shutting down");
        }
    }

    void onText(ChatConnection connection, String text, boolean last) {
        connection.received();
        String whole;
        try {
            whole = connection.fragment(text, last, settings.maxFrameBytes());
        } catch (ChatConnection.FrameTooLarge e) {
            connection.reply(Frames.error("frame-too-large", "Frames are limited to " + settings.maxFrameBytes() + " bytes.", null));
            connection.close(1009, "frame too large");
            return;
        }
        if (whole != null && !connection.closing()) {
            actions.handle(connection, whole);
        }
    }

    /** Called once a connection ended, however it ended: leaves its groups and drops its rows. */
    void finished(ChatConnection connection) {
        if (!connection.finish()) {
            return;
        }
        connections.remove(connection.connectionId());
        ChatMetrics.get().connectionClosed();
        for (String groupId : List.copyOf(connection.groups())) {
            fanouts.unsubscribe(groupId, connection);
        }
        if (closing) {
            return; // the service removes all of this replica's rows at once
        }
        try {
            presence.disconnected(connection.id(), connection.caller().id(), connection.userName());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not remove connection " + connection.connectionId() + ": " + e.getMessage());
        }
    }

    /**
     * Runs every second: cleans up connections whose socket dropped, pings connections due for
     * one, cuts connections silent for two ping intervals, stuck in one write longer than the
     * write timeout, or closing for too long.
     */
    public void sweep() {
        long now = System.nanoTime();
        long pingNanos = settings.pingInterval().toNanos();
        long closeNanos = settings.closeTimeout().toNanos();
        java.time.Instant wallClock = java.time.Instant.now();
        for (ChatConnection c : connections.values()) {
            try {
                long started = c.writeStarted();
                if (!c.readerAlive()) {
                    // the socket dropped without a close frame: Helidon told nobody
                    Thread.ofVirtual().name("chat-cleanup-" + c.connectionId()).start(() -> finished(c));
                } else if (c.closing()) {
                    long requested = c.closeRequested();
                    if (!c.finished() && requested != 0 && now - requested > closeNanos) {
                        c.terminate();
                    }
                } else if (started != 0 && now - started > settings.writeTimeout().toNanos()) {
                    c.closeSlowConsumer("a write blocked for more than " + settings.writeTimeout().toSeconds() + " s");
                    c.terminate();
                } else if (c.caller().expired(wallClock)) {
                    c.reply(Frames.error("token-expired", "The access token of this connection expired; send "
                            + "{\"action\":\"auth\",\"token\":...} with a fresh one before it does, or reconnect.", null));
                    c.close(1008, "token expired");
                } else if (now - c.lastReceived() > 2 * pingNanos + closeNanos) {
                    c.close(1001, "no answer to pings");
                } else if (now - c.lastPing() >= pingNanos) {
                    c.ping();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Sweeping connection " + c.connectionId() + " failed", e);
            }
        }
    }

    /** Stops accepting, closes every connection with 1001 and waits up to the close timeout. */
    public void shutdown() {
        closing = true;
        for (ChatConnection c : connections.values()) {
            c.close(1001, "server shutting down");
        }
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (ChatConnection c : connections.values()) {
            c.terminate();
            finished(c);
        }
    }
}
