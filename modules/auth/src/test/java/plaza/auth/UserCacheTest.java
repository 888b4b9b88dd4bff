package plaza.auth;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import plaza.auth.accounts.User;
import plaza.auth.accounts.UserCache;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The short-lived /users/me cache: expiry, invalidation, and no resurrection by a read that raced a write. */
class UserCacheTest {

    private static User user(String name) {
        return new User("u-1", "u@example.com", name, "hash", false, false, Set.of("user"), null, null, null);
    }

    @Test
    void entriesExpireAfterTheTtl() throws Exception {
        UserCache cache = new UserCache(Duration.ofMillis(200), 10);
        cache.put(user("A"), System.nanoTime());
        assertThat(cache.get("u-1").map(User::name).orElse(null), is("A"));
        Thread.sleep(300);
        assertThat(cache.get("u-1").isPresent(), is(false));
    }

    @Test
    void aReadThatStartedBeforeAnInvalidationIsNotKept() {
        UserCache cache = new UserCache(Duration.ofSeconds(10), 10);
        long readStarted = System.nanoTime();
        cache.invalidate("u-1"); // a write finished while the read was in flight
        cache.put(user("old"), readStarted);
        assertThat(cache.get("u-1").isPresent(), is(false));
        cache.put(user("new"), System.nanoTime());
        assertThat(cache.get("u-1").map(User::name).orElse(null), is("new"));
        cache.invalidate("u-1");
        assertThat(cache.get("u-1").isPresent(), is(false));
    }

    @Test
    void aZeroTtlTurnsItOff() {
        UserCache cache = new UserCache(Duration.ZERO, 10);
        cache.put(user("A"), System.nanoTime());
        assertThat(cache.get("u-1").isPresent(), is(false));
    }
}
