package plaza.assistant.conversations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The reply path's copy of conversations: only ever committed messages, never another user's, bounded. */
class ConversationCacheTest {

    static ConversationRepository.WithMessages conversation(String user, int messages) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        List<StoredMessage> list = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            list.add(message(id, i + 1));
        }
        return new ConversationRepository.WithMessages(
                new Conversation(id, user, "t", "m", null, "system", "", 0, 0, now, now), List.copyOf(list));
    }

    static StoredMessage message(UUID conversation, long seq) {
        return new StoredMessage(UUID.randomUUID(), seq, conversation, seq % 2 == 1 ? "user" : "assistant", "x".repeat(40), "complete",
                                 14, Instant.now());
    }

    @Test
    void anotherUsersConversationIsNeverServed() {
        ConversationCache cache = new ConversationCache(100_000);
        var ann = conversation("ann", 2);
        cache.put(ann);
        assertThat(cache.get("ann", ann.conversation().id()).isPresent(), is(true));
        assertThat(cache.get("bob", ann.conversation().id()).isPresent(), is(false)); // same id, other user
        assertThat(cache.get("ann", UUID.randomUUID()).isPresent(), is(false));
    }

    @Test
    void aSavedTurnExtendsTheCopyOnlyIfTheCopyIsStillTheOneItStartedFrom() {
        ConversationCache cache = new ConversationCache(100_000);
        var base = conversation("ann", 2);
        UUID id = base.conversation().id();
        cache.put(base);
        cache.appended(base, List.of(message(id, 4), message(id, 3)));
        var extended = cache.get("ann", id).orElseThrow();
        assertThat(extended.unsummarized().size(), is(4));
        assertThat(extended.unsummarized().get(2).seq(), is(3L)); // kept in seq order
        assertThat(extended.version(), is(new ConversationRepository.Version(0, 4)));

        // a second reply that started from the old copy finishes: the copy is dropped, not merged
        cache.appended(base, List.of(message(id, 5), message(id, 6)));
        assertThat(cache.get("ann", id).isPresent(), is(false));
        // and a turn of a conversation that is not cached does not create an entry
        cache.appended(base, List.of(message(id, 7)));
        assertThat(cache.get("ann", id).isPresent(), is(false));
    }

    @Test
    void itStaysWithinItsTokenBudgetAndZeroTurnsItOff() {
        ConversationCache cache = new ConversationCache(1_000);
        List<ConversationRepository.WithMessages> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            var c = conversation("u" + i, 4); // about 60 tokens each
            all.add(c);
            cache.put(c);
        }
        long kept = all.stream().filter(c -> cache.get(c.conversation().userId(), c.conversation().id()).isPresent()).count();
        assertThat(kept < 20, is(true));
        assertThat(cache.get("u19", all.get(19).conversation().id()).isPresent(), is(true)); // the newest stays

        ConversationCache off = new ConversationCache(0);
        off.put(all.get(0));
        assertThat(off.get("u0", all.get(0).conversation().id()).isPresent(), is(false));
    }
}
