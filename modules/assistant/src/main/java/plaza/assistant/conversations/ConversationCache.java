package plaza.assistant.conversations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import plaza.assistant.model.TokenEstimator;

/**
 * This replica's copy of recently answered conversations as the reply path reads them — the
 * conversation and the messages its summary does not cover yet — so a reply can call the model
 * before the database has answered. It is only ever a guess: the reply path confirms it against
 * the database ({@link ConversationRepository#version}) while the model call is already running,
 * and drops the call if it was stale.
 *
 * <p>Why a version of (summary checkpoint, number of unsummarized messages) is enough: an entry
 * only ever holds messages that are committed (it starts from a database read and only grows by a
 * turn this replica just saved, and only if the entry is still the one that turn started from),
 * messages are never deleted one by one, so the cached messages are a subset of the database's;
 * with the same checkpoint and the same count they are the same set.
 *
 * <p>Bounded by {@code maxTokens} (estimated tokens of the cached system prompts, summaries and
 * messages; least recently used entries go first); 0 turns it off.
 */
public final class ConversationCache {

    private final long maxTokens;
    private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();
    private final ReentrantLock evicting = new ReentrantLock();

    private static final class Entry {
        final ConversationRepository.WithMessages value;
        final int tokens;
        volatile long used = System.nanoTime();

        Entry(ConversationRepository.WithMessages value) {
            this.value = value;
            int t = value.conversation().summaryTokens() + TokenEstimator.text(value.conversation().systemPrompt());
            for (StoredMessage m : value.unsummarized()) {
                t += m.tokens();
            }
            this.tokens = t;
        }
    }

    public ConversationCache(long maxTokens) {
        this.maxTokens = maxTokens;
    }

    public boolean enabled() {
        return maxTokens > 0;
    }

    /** The cached copy of the user's conversation, if this replica has one. */
    public Optional<ConversationRepository.WithMessages> get(String userId, UUID id) {
        Entry e = entries.get(id);
        if (e == null || !e.value.conversation().userId().equals(userId)) {
            return Optional.empty();
        }
        e.used = System.nanoTime();
        return Optional.of(e.value);
    }

    /** Remembers what was just read from the database. */
    public void put(ConversationRepository.WithMessages read) {
        if (!enabled()) {
            return;
        }
        Entry entry = new Entry(read);
        if (entry.tokens > maxTokens / 4) {
            return; // one huge conversation must not push out everyone else's
        }
        entries.compute(read.conversation().id(), (id, old) -> {
            tokens.addAndGet(entry.tokens - (old == null ? 0 : old.tokens));
            return entry;
        });
        evictIfFull();
    }

    /**
     * A turn started from {@code base} was saved: the cached copy becomes {@code base} plus
     * {@code added} — if it still is {@code base}; if anything else changed it meanwhile, it is
     * dropped and the next reply reads the database.
     */
    public void appended(ConversationRepository.WithMessages base, List<StoredMessage> added) {
        if (!enabled()) {
            return;
        }
        entries.computeIfPresent(base.conversation().id(), (id, current) -> {
            tokens.addAndGet(-current.tokens);
            if (current.value != base) {
                return null;
            }
            List<StoredMessage> messages = new ArrayList<>(base.unsummarized().size() + added.size());
            messages.addAll(base.unsummarized());
            messages.addAll(added);
            messages.sort(Comparator.comparingLong(StoredMessage::seq));
            Entry next = new Entry(new ConversationRepository.WithMessages(base.conversation(), List.copyOf(messages)));
            tokens.addAndGet(next.tokens);
            return next;
        });
        evictIfFull();
    }

    /** Forgets a conversation (deleted, or its summary checkpoint changed). */
    public void invalidate(UUID id) {
        entries.computeIfPresent(id, (k, current) -> {
            tokens.addAndGet(-current.tokens);
            return null;
        });
    }

    private void evictIfFull() {
        if (tokens.get() <= maxTokens || !evicting.tryLock()) {
            return;
        }
        try {
            List<Map.Entry<UUID, Entry>> byAge = new ArrayList<>(entries.entrySet());
            byAge.sort(Comparator.comparingLong(e -> e.getValue().used));
            long target = maxTokens * 9 / 10;
            for (Map.Entry<UUID, Entry> e : byAge) {
                if (tokens.get() <= target) {
                    break;
                }
                if (entries.remove(e.getKey(), e.getValue())) {
                    tokens.addAndGet(-e.getValue().tokens);
                }
            }
        } finally {
            evicting.unlock();
        }
    }
}
