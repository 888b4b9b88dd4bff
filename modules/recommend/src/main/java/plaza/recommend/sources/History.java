package plaza.recommend.sources;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import plaza.recommend.model.Interaction;

/** A shopper's interactions as the request-time scorer reads them ({@link InteractionStore}; the bench keeps them in memory). */
public interface History {

    /** The shopper's last {@code limit} interactions, newest first. */
    List<Interaction> recent(String shopper, int limit);

    /** Items the shopper wishlisted, bookmarked or bought since {@code from}. */
    Set<String> having(String shopper, Instant from);
}
