package plaza.platform.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RateLimiterTest {

    @Test
    void burstThenRefillPerKey() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(3, 1, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("ip-1").isEmpty(), is(true));
        }
        var wait = limiter.acquire("ip-1");
        assertThat(wait.isPresent(), is(true));
        assertThat(wait.get().compareTo(Duration.ofMillis(1001)) <= 0, is(true));
        // another key has its own bucket
        assertThat(limiter.acquire("ip-2").isEmpty(), is(true));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(limiter.acquire("ip-1").isEmpty(), is(true));
        assertThat(limiter.acquire("ip-1").isPresent(), is(true));
    }

    @Test
    void checkThrows429WithRetryAfter() {
        RateLimiter limiter = new RateLimiter(1, 0.5, () -> 0L);
        limiter.check("k", "logins");
        ProblemException e = assertThrows(ProblemException.class, () -> limiter.check("k", "logins"));
        assertThat(e.status().code(), is(429));
        assertThat(e.retryAfter().toSeconds(), is(2L));
    }
}
