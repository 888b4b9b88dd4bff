package plaza.events;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * The {@code events.*} settings (docs/events.md), with their defaults.
 *
 * @param retention         how long events are kept; older day partitions are dropped ({@code P400D})
 * @param partitionsAhead   day partitions created ahead of today (3)
 * @param maxEventAge       how far in the past a non-admin's event may be dated ({@code P30D}); admins may go back to the retention
 * @param maxFuture         how far ahead of the server's clock an event may be dated ({@code PT1H})
 * @param linger            how long the writer waits for more requests before a COPY ({@code PT0.002S})
 * @param maxBatchRows      rows per COPY at most (5000)
 * @param maxQueuedRows     rows waiting for the writer at most; beyond, 503 with Retry-After (100000)
 * @param commitTimeout     how long a request waits for its commit before answering 503 ({@code PT10S})
 * @param anonymousCapacity burst of requests without a token per client address (100)
 * @param anonymousPerSecond refill of that bucket (20 per second)
 * @param trustForwarded    take the client address from X-Forwarded-For (behind the ingress; false)
 */
public record EventsSettings(Duration retention, int partitionsAhead, Duration maxEventAge, Duration maxFuture,
                             Duration linger, int maxBatchRows, int maxQueuedRows, Duration commitTimeout,
                             double anonymousCapacity, double anonymousPerSecond, boolean trustForwarded) {

    public static EventsSettings from(Config events) {
        return new EventsSettings(
                events.get("retention").as(Duration.class).orElse(Duration.ofDays(400)),
                events.get("partitions-ahead").asInt().orElse(3),
                events.get("max-event-age").as(Duration.class).orElse(Duration.ofDays(30)),
                events.get("max-future").as(Duration.class).orElse(Duration.ofHours(1)),
                events.get("writer.linger").as(Duration.class).orElse(Duration.ofMillis(2)),
                events.get("writer.max-batch-rows").asInt().orElse(5000),
                events.get("writer.max-queued-rows").asInt().orElse(100_000),
                events.get("writer.commit-timeout").as(Duration.class).orElse(Duration.ofSeconds(10)),
                events.get("anonymous-rate-limit.capacity").asDouble().orElse(100d),
                events.get("anonymous-rate-limit.per-second").asDouble().orElse(20d),
                events.get("trust-forwarded").asBoolean().orElse(false));
    }
}
