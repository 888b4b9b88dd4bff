package plaza.chat.fanout;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import plaza.chat.messages.Envelope;
import plaza.chat.messages.MessageStore;

/** The groups that have local subscribers on this replica, each with its {@link GroupFanout}. */
public final class GroupFanouts {

    private static final System.Logger LOG = System.getLogger(GroupFanouts.class.getName());

    private final MessageStore store;
    private final Map<String, GroupFanout> groups = new ConcurrentHashMap<>();

    public GroupFanouts(MessageStore store) {
        this.store = store;
    }

    /**
     * Subscribes to a group and returns the seq the subscriber is live from. With {@code buffered},
     * live events wait until {@link #activate} (after the caller replayed history up to that seq).
     */
    public long subscribe(String groupId, Subscriber subscriber, boolean buffered) {
        while (true) {
            GroupFanout fanout = groups.computeIfAbsent(groupId, this::create);
            long from = fanout.subscribe(subscriber, buffered);
            if (from != -2) {
                return from;
            }
            Thread.onSpinWait();
        }
    }

    public void activate(String groupId, Subscriber subscriber, long replayedUpTo) {
        GroupFanout fanout = groups.get(groupId);
        if (fanout != null) {
            fanout.activate(subscriber, replayedUpTo);
        }
    }

    public void unsubscribe(String groupId, Subscriber subscriber) {
        GroupFanout fanout = groups.get(groupId);
        if (fanout != null) {
            fanout.unsubscribe(subscriber);
        }
    }

    /** Dispatches one NOTIFY to its group, if this replica has subscribers there. */
    public void dispatch(Envelope envelope) {
        GroupFanout fanout = groups.get(envelope.groupId());
        if (fanout != null) {
            fanout.onEnvelope(envelope);
        }
    }

    /** After the listener reconnected: every local group reads what it missed. */
    public void catchUpAll() {
        for (GroupFanout fanout : List.copyOf(groups.values())) {
            fanout.catchUp();
        }
    }

    /** Compares every local group with the table and catches up the ones behind (belt and braces). */
    public void reconcile() {
        List<GroupFanout> local = new ArrayList<>(groups.values());
        if (local.isEmpty()) {
            return;
        }
        try {
            Map<String, Long> last = store.lastSeqs(local.stream().map(GroupFanout::groupId).toList());
            for (GroupFanout fanout : local) {
                Long seq = last.get(fanout.groupId());
                if (seq != null) {
                    fanout.catchUpIfBehind(seq);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Reconciling local groups failed: " + e.getMessage());
        }
    }

    /** The last seq delivered locally in a group, -1 when this replica does not follow it. */
    public long delivered(String groupId) {
        GroupFanout fanout = groups.get(groupId);
        return fanout == null ? -1 : fanout.delivered();
    }

    public int size() {
        return groups.size();
    }

    private GroupFanout create(String groupId) {
        GroupFanout[] self = new GroupFanout[1];
        self[0] = new GroupFanout(groupId, store, () -> groups.remove(groupId, self[0]));
        return self[0];
    }
}
