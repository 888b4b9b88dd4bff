package plaza.chat;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import plaza.chat.fanout.GroupFanouts;
import plaza.chat.fanout.NotificationListener;
import plaza.chat.http.HistoryResource;
import plaza.chat.http.UpgradeRefusal;
import plaza.chat.messages.MessageStore;
import plaza.chat.presence.ConnectionStore;
import plaza.chat.presence.Presence;
import plaza.chat.ws.ChatActions;
import plaza.chat.ws.ChatSockets;
import plaza.platform.security.UpgradeGate;
import plaza.platform.PlazaService;
import plaza.platform.db.Database;
import plaza.platform.http.CorsPolicy;
import plaza.platform.openapi.AsyncApiDescriptions;
import plaza.platform.security.TokenVerifier;

/**
 * Plaza chat (seed 002): WebSocket group chat on {@code /chat/ws}, durable history on PostgreSQL,
 * fan-out to every replica through LISTEN/NOTIFY, history over {@code GET /chat/groups/…}.
 * The protocol, config keys and examples are in docs/chat.md.
 */
public final class ChatService implements PlazaService {

    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    private final ChatSettings settings;
    private final Database db;
    private final TokenVerifier tokens;
    private final MessageStore store;
    private final GroupFanouts fanouts;
    private final ConnectionStore connections;
    private final Presence presence;
    private final ChatSockets sockets;
    private final UpgradeGate gate;
    private final NotificationListener listener;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch closeDone = new java.util.concurrent.CountDownLatch(1);

    private ChatService(Config root, Database db, TokenVerifier tokens) {
        if (db.vendor() != Database.Vendor.POSTGRESQL) {
            throw new IllegalArgumentException("chat needs PostgreSQL (LISTEN/NOTIFY); got " + db.vendor());
        }
        this.settings = ChatSettings.from(root.get("chat"));
        this.db = db;
        this.tokens = tokens;
        this.store = new MessageStore(db.dataSource(), settings.channel());
        this.fanouts = new GroupFanouts(store);
        this.connections = new ConnectionStore(db.dataSource(), settings.replicaId());
        this.presence = new Presence(connections, store);
        this.gate = new UpgradeGate(CorsPolicy.create(root.get("cors")), tokens);
        this.sockets = new ChatSockets(settings, gate, fanouts, presence, new ChatActions(settings, store, fanouts, presence, gate));
        this.listener = new NotificationListener(db.dataSource(), settings.channel(), fanouts,
                                                 settings.listenerCheck(), settings.listenerMaxBackoff());
        this.scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("chat-timer-", 0).factory());
    }

    /** Creates the service: registers the replica, starts the LISTEN connection and the timers. */
    public static ChatService create(Config root, Database db, TokenVerifier tokens) {
        ChatService chat = new ChatService(root, db, tokens);
        chat.start();
        return chat;
    }

    private void start() {
        try {
            presence.refresh(connections.registerReplica());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not register chat replica " + settings.replicaId() + " yet: " + e.getMessage());
        }
        listener.start();
        scheduler.scheduleWithFixedDelay(guard("sweep", sockets::sweep), 1, 1, TimeUnit.SECONDS);
        long heartbeat = settings.heartbeatInterval().toMillis();
        scheduler.scheduleWithFixedDelay(guard("heartbeat", () -> {
            connections.heartbeat();
            Set<String> touched = connections.expireDeadReplicas(settings.replicaExpiry());
            if (!touched.isEmpty()) {
                LOG.log(Level.INFO, "Removed connections of expired chat replicas from " + touched.size() + " groups");
                presence.refresh(touched);
            }
        }), heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        long check = settings.listenerCheck().toMillis();
        scheduler.scheduleWithFixedDelay(guard("reconcile", fanouts::reconcile), check, check, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guard("retention", () -> {
            int purged = store.purgeOlderThan(settings.retention());
            if (purged > 0) {
                LOG.log(Level.INFO, "Removed " + purged + " messages older than " + settings.retention());
            }
        }), 1, 60, TimeUnit.MINUTES);
        LOG.log(Level.INFO, "Chat replica " + settings.replicaId() + " listening on channel " + settings.channel());
    }

    private static Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Chat " + what + " failed: " + e.getMessage());
            }
        };
    }

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/chat", new HistoryResource(store, presence, tokens));
        routing.register("/chat", new UpgradeRefusal(gate, () -> closed.get()));
        AsyncApiDescriptions.serve(routing, "chat"); // the /chat/ws protocol
    }

    @Override
    public void websockets(WsRouting.Builder ws) {
        ws.endpoint("/chat/ws", sockets::listener);
    }

    @Override
    public List<HealthCheck> healthChecks() {
        HealthCheck listening = new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public String name() {
                return "chat-listener";
            }

            @Override
            public HealthCheckResponse call() {
                return HealthCheckResponse.builder().status(listener.connected())
                        .detail("replica", settings.replicaId())
                        .detail("connections", sockets.size())
                        .build();
            }
        };
        return List.of(db.readiness(), listening);
    }

    /** Closes every socket with 1001, stops the listener and the timers, removes this replica's rows. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            try {
                closeDone.await(30, TimeUnit.SECONDS); // a concurrent close (another shutdown hook) finishes first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            shutdown();
        } finally {
            closeDone.countDown();
        }
    }

    private void shutdown() {
        sockets.shutdown();
        scheduler.shutdownNow();
        listener.close();
        try {
            presence.refresh(connections.closeReplica());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not remove replica " + settings.replicaId() + ": " + e.getMessage());
        }
        db.close();
    }

    public ChatSettings settings() {
        return settings;
    }

    /** Backend pid of the LISTEN connection (0 while reconnecting); tests terminate it. */
    public int listenerBackendPid() {
        return listener.backendPid();
    }

    public boolean listening() {
        return listener.connected();
    }

    /** Open WebSocket connections on this replica. */
    public int openConnections() {
        return sockets.size();
    }

}
