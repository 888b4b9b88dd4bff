package plaza.chat.fanout;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import plaza.chat.ChatMetrics;
import plaza.chat.messages.Envelope;
import plaza.chat.messages.MessageStore;

/**
 * One group's fan-out on this replica. Tracks the last seq delivered to the local subscribers and
 * hands them every later event exactly once, in seq order: the next seq straight from its NOTIFY;
 * after a gap, a by-reference NOTIFY or a listener reconnect, everything missing from the table.
 * A subscriber that is still replaying history gets live events into a buffer first, so the
 * replay and the live stream join without a hole or a duplicate.
 */
public final class GroupFanout {

    private static final System.Logger LOG = System.getLogger(GroupFanout.class.getName());
    private static final int CATCH_UP_PAGE = 500;

    private final String groupId;
    private final MessageStore store;
    private final Runnable retire;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Member> members = new LinkedHashMap<>();
    private long delivered = -1;
    private long seenInTable;
    private boolean retired;

    private static final class Member {
        private final Subscriber subscriber;
        private List<Pending> pending;

        private Member(Subscriber subscriber, boolean buffered) {
            this.subscriber = subscriber;
            this.pending = buffered ? new ArrayList<>() : null;
        }
    }

    private record Pending(long seq, String frame, long micros, String exclude) {
    }

    GroupFanout(String groupId, MessageStore store, Runnable retire) {
        this.groupId = groupId;
        this.store = store;
        this.retire = retire;
    }

    public String groupId() {
        return groupId;
    }

    /**
     * Adds a subscriber and returns the seq it is live from (events after it reach the subscriber),
     * or -2 when this fan-out was just retired (the caller takes a fresh one).
     */
    long subscribe(Subscriber subscriber, boolean buffered) {
        lock.lock();
        try {
            if (retired) {
                return -2;
            }
            if (delivered < 0) {
                long last = store.lastSeq(groupId);
                if (last < 0) {
                    throw new IllegalStateException("Group " + groupId + " vanished");
                }
                delivered = last;
            }
            members.put(subscriber.connectionId(), new Member(subscriber, buffered));
            return delivered;
        } finally {
            lock.unlock();
        }
    }

    /** Ends buffering: hands over the buffered events after {@code replayedUpTo}, then goes live. */
    void activate(Subscriber subscriber, long replayedUpTo) {
        lock.lock();
        try {
            Member member = members.get(subscriber.connectionId());
            if (member == null || member.pending == null) {
                return;
            }
            for (Pending p : member.pending) {
                if (p.seq == 0 || p.seq > replayedUpTo) {
                    send(member, p);
                }
            }
            member.pending = null;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a subscriber; the last one out retires this fan-out. */
    void unsubscribe(Subscriber subscriber) {
        lock.lock();
        try {
            if (members.remove(subscriber.connectionId()) != null && members.isEmpty() && !retired) {
                retired = true;
                retire.run();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A NOTIFY for this group. */
    void onEnvelope(Envelope e) {
        lock.lock();
        try {
            if (retired) {
                return;
            }
            if (e.seq() == 0) {
                if (e.frame() != null) {
                    broadcast(new Pending(0, e.frame(), 0, e.exclude()));
                }
                return;
            }
            if (delivered < 0 || e.seq() <= delivered) {
                return; // not initialised yet (the initial read covers it) or already delivered
            }
            if (e.seq() == delivered + 1 && !e.byReference()) {
                broadcast(new Pending(e.seq(), e.frame(), e.micros(), null));
                delivered = e.seq();
                return;
            }
            catchUpLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Reads whatever this replica has not delivered yet from the table (after a reconnect, a gap). */
    public void catchUp() {
        lock.lock();
        try {
            if (!retired && delivered >= 0) {
                catchUpLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The periodic reconcile: catches up when an event the table already had at the previous
     * reconcile is still not delivered (one in flight right now is left to its NOTIFY).
     */
    void catchUpIfBehind(long lastSeq) {
        lock.lock();
        try {
            if (!retired && delivered >= 0 && delivered < seenInTable) {
                catchUpLocked();
            }
            seenInTable = lastSeq;
        } finally {
            lock.unlock();
        }
    }

    public long delivered() {
        lock.lock();
        try {
            return delivered;
        } finally {
            lock.unlock();
        }
    }

    private void catchUpLocked() {
        ChatMetrics.get().catchUp();
        try {
            while (true) {
                MessageStore.Replay replay = store.since(groupId, delivered, CATCH_UP_PAGE);
                if (replay == null) {
                    return;
                }
                for (MessageStore.Event event : replay.events()) {
                    if (event.seq() > delivered) {
                        broadcast(new Pending(event.seq(), event.frame(), 0, null));
                        delivered = event.seq();
                    }
                }
                if (!replay.more()) {
                    delivered = Math.max(delivered, replay.lastSeq());
                    return;
                }
            }
        } catch (RuntimeException e) {
            // The database is away: keep the watermark, the next event or reconcile retries.
            LOG.log(Level.WARNING, "Catching up group " + groupId + " failed: " + e.getMessage());
        }
    }

    private void broadcast(Pending p) {
        for (Member member : members.values()) {
            if (member.pending != null) {
                member.pending.add(p);
            } else {
                send(member, p);
            }
        }
    }

    private static void send(Member member, Pending p) {
        if (p.exclude != null && p.exclude.equals(member.subscriber.connectionId())) {
            return;
        }
        member.subscriber.deliver(p.frame, p.micros, p.seq > 0);
    }
}
