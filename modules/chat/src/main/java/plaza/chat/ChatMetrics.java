package plaza.chat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;
import plaza.platform.observe.Histograms;

/**
 * Chat's meters, one set per JVM (two chat servers in one test JVM add up): {@code
 * chat_websocket_connections}, {@code chat_messages_received_total}, {@code
 * chat_messages_delivered_total}, {@code chat_fanout_latency_seconds} (commit to socket write),
 * {@code chat_slow_consumers_closed_total}, {@code chat_catchups_total}, {@code
 * chat_listener_reconnects_total}, {@code chat_rate_limited_total}.
 */
public final class ChatMetrics {

    private static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};
    private static final ChatMetrics INSTANCE = new ChatMetrics();

    private final AtomicInteger connections = new AtomicInteger();
    private final Counter received;
    private final Counter delivered;
    private final Timer fanoutLatency;
    private final Counter slowConsumers;
    private final Counter catchUps;
    private final Counter listenerReconnects;
    private final Counter rateLimited;

    private ChatMetrics() {
        MeterRegistry registry = Metrics.globalRegistry();
        registry.getOrCreate(Gauge.builder("chat.websocket.connections", connections, AtomicInteger::get)
                                     .description("Open chat WebSocket connections"));
        received = registry.getOrCreate(Counter.builder("chat.messages.received")
                                                .description("Messages clients sent that were committed"));
        delivered = registry.getOrCreate(Counter.builder("chat.messages.delivered")
                                                 .description("Message frames written to sockets"));
        fanoutLatency = Histograms.timer("chat.fanout.latency", "From commit to the socket write of each delivery", BUCKETS);
        slowConsumers = registry.getOrCreate(Counter.builder("chat.slow.consumers.closed")
                                                     .description("Connections closed because they fell behind"));
        catchUps = registry.getOrCreate(Counter.builder("chat.catchups")
                                                .description("Catch-ups from the messages table (gaps, listener reconnects, sinceSeq replays)"));
        listenerReconnects = registry.getOrCreate(Counter.builder("chat.listener.reconnects")
                                                          .description("Times the LISTEN connection was re-established"));
        rateLimited = registry.getOrCreate(Counter.builder("chat.rate.limited")
                                                   .description("Client frames refused by the per-connection rate limit"));
    }

    public static ChatMetrics get() {
        return INSTANCE;
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public int openConnections() {
        return connections.get();
    }

    public void received() {
        received.increment();
    }

    /** A message frame reached a socket; {@code committedMicros} 0 when unknown (replays). */
    public void delivered(long committedMicros) {
        delivered.increment();
        if (committedMicros > 0) {
            long micros = Math.max(0, currentMicros() - committedMicros);
            fanoutLatency.record(micros, TimeUnit.MICROSECONDS);
        }
    }

    public void slowConsumerClosed() {
        slowConsumers.increment();
    }

    public long slowConsumersClosed() {
        return slowConsumers.count();
    }

    public long catchUps() {
        return catchUps.count();
    }

    public void catchUp() {
        catchUps.increment();
    }

    public void listenerReconnected() {
        listenerReconnects.increment();
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    public static long currentMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
