package plaza.auth.accounts;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts read by id for {@code GET /users/me}, kept for {@code auth.user-cache-ttl} (PT1S; PT0S turns it
 * off) at most, in this replica only. Every change this replica makes to an account drops its entry at once,
 * so a replica always sees its own writes; another replica may show an account's old profile for at most the
 * TTL (access tokens, for comparison, stay valid for minutes after a change). Never used where a password hash
 * is checked. At most {@code max-entries} (10,000) accounts are kept.
 */
public final class UserCache {

    private final long ttlNanos;
    private final int maxEntries;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** When the last invalidation happened: a read that started before it may hold what it replaced, and is not kept. */
    private volatile long lastInvalidation = System.nanoTime();

    private record Entry(User user, long loadedAt) {
    }

    public UserCache(Duration ttl, int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    public Optional<User> get(String id) {
        if (ttlNanos <= 0) {
            return Optional.empty();
        }
        Entry entry = entries.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - entry.loadedAt() > ttlNanos) {
            entries.remove(id, entry);
            return Optional.empty();
        }
        return Optional.of(entry.user());
    }

    /** Remembers an account read from the database at {@code readStartedAt} (nanoTime before the read began). */
    public void put(User user, long readStartedAt) {
        if (ttlNanos <= 0 || readStartedAt - lastInvalidation <= 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(user.id(), new Entry(user, readStartedAt));
    }

    public void invalidate(String id) {
        lastInvalidation = System.nanoTime();
        entries.remove(id);
    }
}
