package plaza.platform.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets keyed by anything (client IP, account, connection): {@code capacity} tokens,
 * refilled at {@code perSecond}. {@link #acquire} answers how long to wait when the bucket is empty,
 * which callers turn into a 429 with {@code Retry-After} or an error frame.
 */
public final class RateLimiter {

    private final double capacity;
    private final double perNano;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double capacity, double perSecond) {
        this(capacity, perSecond, System::nanoTime);
    }

    RateLimiter(double capacity, double perSecond, LongSupplier clock) {
        if (capacity < 1 || perSecond <= 0) {
            throw new IllegalArgumentException("capacity must be >= 1 and perSecond > 0");
        }
        this.capacity = capacity;
        this.perNano = perSecond / 1_000_000_000d;
        this.clock = clock;
    }

    /** Takes one token for {@code key}: empty when allowed, otherwise how long until one is free. */
    public java.util.Optional<Duration> acquire(String key) {
        long now = clock.getAsLong();
        if (buckets.size() > 100_000) {
            evictFull(now);
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updated) * perNano);
            bucket.updated = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return java.util.Optional.empty();
            }
            long waitNanos = (long) Math.ceil((1 - bucket.tokens) / perNano);
            return java.util.Optional.of(Duration.ofNanos(waitNanos));
        }
    }

    /** Takes a token or throws a 429 problem with {@code Retry-After}. */
    public void check(String key, String what) {
        acquire(key).ifPresent(wait -> {
            throw ProblemException.tooManyRequests("Too many " + what + "; try again in "
                                                   + Math.max(1, (wait.toMillis() + 999) / 1000) + " s.", wait);
        });
    }

    // Buckets that have refilled completely carry no state worth keeping.
    private void evictFull(long now) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            synchronized (b) {
                return b.tokens + (now - b.updated) * perNano >= capacity;
            }
        });
    }

    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
