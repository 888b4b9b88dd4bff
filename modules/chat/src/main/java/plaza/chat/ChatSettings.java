package plaza.chat;

import java.time.Duration;
import java.util.UUID;

import io.helidon.config.Config;

/**
 * Everything {@code chat.*} configures, with the defaults in code (docs/chat.md lists every key and
 * its environment variable).
 *
 * @param maxMessageLength     longest message text in characters ({@code chat.max-message-length}, 4096)
 * @param maxFrameBytes        largest client frame in bytes, fragments included ({@code chat.max-frame-bytes}, 65536)
 * @param ratePerSecond        actions a connection may send per second ({@code chat.rate.per-second}, 10)
 * @param rateBurst            burst on top of that ({@code chat.rate.burst}, 20)
 * @param sendQueue            frames waiting for one connection before it counts as a slow consumer ({@code chat.send-queue}, 1024)
 * @param writeTimeout         a single socket write blocked longer than this closes the connection too ({@code chat.write-timeout}, PT10S)
 * @param pingInterval         server pings ({@code chat.ping-interval}, PT30S); silent for 2 intervals = dead
 * @param closeTimeout         how long a closing connection may take before its socket is cut ({@code chat.close-timeout}, PT2S)
 * @param maxGroupsPerConnection groups one connection may join ({@code chat.max-groups-per-connection}, 100)
 * @param retention            messages older than this are removed ({@code chat.history.retention}, P30D)
 * @param maxReplay            most events a {@code sinceSeq} join replays; more is {@code recovered:false} ({@code chat.history.max-replay}, 1000)
 * @param heartbeatInterval    replica heartbeat ({@code chat.replica.heartbeat-interval}, PT10S)
 * @param replicaExpiry        a replica silent this long is dead and its connections are removed ({@code chat.replica.expiry}, PT30S)
 * @param listenerCheck        how often the LISTEN connection is probed and local groups reconciled ({@code chat.listener.check-interval}, PT5S)
 * @param listenerMaxBackoff   longest wait between LISTEN reconnect attempts ({@code chat.listener.max-backoff}, PT5S)
 * @param channel              the NOTIFY channel ({@code chat.notify-channel}, {@code plaza_chat})
 * @param replicaId            this replica's id ({@code chat.replica-id}, env {@code CHAT_REPLICA_ID}; default random)
 */
public record ChatSettings(int maxMessageLength, int maxFrameBytes, double ratePerSecond, int rateBurst, int sendQueue,
                           Duration writeTimeout, Duration pingInterval, Duration closeTimeout, int maxGroupsPerConnection,
                           Duration retention, int maxReplay, Duration heartbeatInterval, Duration replicaExpiry,
                           Duration listenerCheck, Duration listenerMaxBackoff, String channel, String replicaId) {

    /** {@code chat.<key>}; {@code CHAT_MAX_MESSAGE_LENGTH} reaches {@code chat.max-message-length} through PlazaConfig. */
    static Config key(Config chat, String key) {
        return chat.get(key);
    }

    public static ChatSettings from(Config chat) {
        String channel = key(chat, "notify-channel").asString().orElse("plaza_chat");
        if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("chat.notify-channel must be a lower-case SQL identifier: " + channel);
        }
        String replica = key(chat, "replica-id").asString().orElse(UUID.randomUUID().toString().substring(0, 8));
        return new ChatSettings(
                key(chat, "max-message-length").asInt().orElse(4096),
                key(chat, "max-frame-bytes").asInt().orElse(65536),
                key(chat, "rate.per-second").asDouble().orElse(10.0),
                key(chat, "rate.burst").asInt().orElse(20),
                key(chat, "send-queue").asInt().orElse(1024),
                key(chat, "write-timeout").as(Duration.class).orElse(Duration.ofSeconds(10)),
                key(chat, "ping-interval").as(Duration.class).orElse(Duration.ofSeconds(30)),
                key(chat, "close-timeout").as(Duration.class).orElse(Duration.ofSeconds(2)),
                key(chat, "max-groups-per-connection").asInt().orElse(100),
                key(chat, "history.retention").as(Duration.class).orElse(Duration.ofDays(30)),
                key(chat, "history.max-replay").asInt().orElse(1000),
                key(chat, "replica.heartbeat-interval").as(Duration.class).orElse(Duration.ofSeconds(10)),
                key(chat, "replica.expiry").as(Duration.class).orElse(Duration.ofSeconds(30)),
                key(chat, "listener.check-interval").as(Duration.class).orElse(Duration.ofSeconds(5)),
                key(chat, "listener.max-backoff").as(Duration.class).orElse(Duration.ofSeconds(5)),
                channel,
                replica.length() > 64 ? replica.substring(0, 64) : replica);
    }
}
