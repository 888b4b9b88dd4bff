package plaza.chat.ws;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import plaza.chat.ChatMetrics;
import plaza.chat.fanout.Subscriber;
import plaza.platform.security.Caller;

/**
 * One WebSocket connection. Frames for it go into a bounded queue that one virtual thread writes
 * to the socket (Helidon 4.1.2's {@code WsSession.send} is not thread-safe, and a blocking write
 * must never hold up the fan-out). When the queue is full the client is too slow: it is closed with
 * 1013 and can reconnect with {@code sinceSeq}; the other connections never wait for it.
 */
public final class ChatConnection implements Subscriber {

    private static final System.Logger LOG = System.getLogger(ChatConnection.class.getName());
    private static final byte[] PING = "plaza".getBytes(StandardCharsets.US_ASCII);

    private final UUID id;
    private final String idText;
    private volatile Caller caller;
    private final String userName;
    private final BlockingQueue<Outbound> queue;
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final ChatSockets sockets;
    private volatile WsSession session;
    private volatile Thread writer;
    private volatile Thread reader;
    private volatile String currentGroup;
    private volatile long lastReceived = System.nanoTime();
    private volatile long lastPing = System.nanoTime();
    private volatile long writeStarted;
    private volatile long closeRequested;
    private final StringBuilder fragments = new StringBuilder();
    private int fragmentBytes;

    private sealed interface Outbound permits Text, Ping, Pong, Close {
    }

    private record Text(String frame, long micros, boolean counted) implements Outbound {
    }

    private record Ping() implements Outbound {
    }

    private record Pong(byte[] data) implements Outbound {
    }

    private record Close(int code, String reason) implements Outbound {
    }

    ChatConnection(ChatSockets sockets, Caller caller, int queueSize) {
        this.sockets = sockets;
        this.id = UUID.randomUUID();
        this.idText = id.toString();
        this.caller = caller;
        this.userName = caller.name() == null || caller.name().isBlank() ? caller.id() : caller.name();
        this.queue = new LinkedBlockingQueue<>(queueSize);
    }

    /** Starts the writer; called from onOpen on the connection's reader thread. */
    void start(WsSession session) {
        this.session = session;
        this.reader = Thread.currentThread();
        this.writer = Thread.ofVirtual().name("chat-writer-" + idText).start(this::writeLoop);
    }

    public UUID id() {
        return id;
    }

    @Override
    public String connectionId() {
        return idText;
    }

    public Caller caller() {
        return caller;
    }

    /** A fresh token for the same user ({@code auth} action): the connection lives until its expiry. */
    void renew(Caller fresh) {
        if (!fresh.id().equals(caller.id())) {
            throw new IllegalArgumentException("another user");
        }
        this.caller = fresh;
    }

    public String userName() {
        return userName;
    }

    Set<String> groups() {
        return groups;
    }

    String currentGroup() {
        return currentGroup;
    }

    void currentGroup(String groupId) {
        this.currentGroup = groupId;
    }

    @Override
    public void deliver(String frame, long micros, boolean ordered) {
        offer(new Text(frame, micros, ordered));
    }

    /** A direct answer to this client (ack, error, joined…). */
    void reply(String frame) {
        offer(new Text(frame, 0, false));
    }

    void ping() {
        lastPing = System.nanoTime();
        offer(new Ping());
    }

    void pong(byte[] data) {
        offer(new Pong(data));
    }

    void received() {
        lastReceived = System.nanoTime();
    }

    long lastReceived() {
        return lastReceived;
    }

    long lastPing() {
        return lastPing;
    }

    /** When the write in progress started (System.nanoTime), 0 when the writer is idle. */
    long writeStarted() {
        return writeStarted;
    }

    long closeRequested() {
        return closeRequested;
    }

    boolean closing() {
        return closing.get();
    }

    /** Appends a text fragment; returns the whole message once the last fragment arrived, null before. */
    String fragment(String text, boolean last, int maxBytes) {
        int bytes = utf8Length(text);
        if (fragmentBytes + bytes > maxBytes) {
            fragments.setLength(0);
            fragmentBytes = 0;
            throw new FrameTooLarge();
        }
        if (last && fragments.isEmpty()) {
            return text;
        }
        fragments.append(text);
        fragmentBytes += bytes;
        if (!last) {
            return null;
        }
        String whole = fragments.toString();
        fragments.setLength(0);
        fragmentBytes = 0;
        return whole;
    }

    /** Thrown by {@link #fragment} when a client frame is over the limit. */
    static final class FrameTooLarge extends RuntimeException {
        FrameTooLarge() {
            super(null, null, false, false);
        }
    }

    /** Closes after the frames already queued (shutdown 1001, frame too big 1009, …). */
    void close(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeRequested = System.nanoTime();
        if (!queue.offer(new Close(code, reason))) {
            queue.clear();
            queue.offer(new Close(code, reason));
        }
    }

    /** The client fell behind: drop what is queued for it and close with 1013. */
    void closeSlowConsumer(String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        ChatMetrics.get().slowConsumerClosed();
        LOG.log(Level.INFO, "Closing slow consumer " + idText + " (" + caller.id() + "): " + reason);
        closeRequested = System.nanoTime();
        queue.clear();
        queue.offer(new Close(1013, "slow consumer: " + reason));
        if (writeStarted != 0) {
            // The writer is stuck in a socket write to a client that does not read: cut the socket.
            terminate();
        }
    }

    /** Cuts the socket: interrupting a virtual thread blocked in socket I/O closes the socket. */
    void terminate() {
        closing.set(true);
        Thread w = writer;
        if (w != null) {
            w.interrupt();
        }
        Thread r = reader;
        if (r != null && r != Thread.currentThread()) {
            r.interrupt();
        }
        Thread.ofVirtual().name("chat-cleanup-" + idText).start(() -> sockets.finished(this));
    }

    /**
     * Whether Helidon's reader thread still runs. On 4.1.2 a socket that just drops (no close
     * frame) ends the reader without onClose or onError; the sweep notices it here.
     */
    boolean readerAlive() {
        Thread r = reader;
        return r == null || r.isAlive();
    }

    /** Marks the connection finished once; true for the caller that did. */
    boolean finish() {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        closing.set(true);
        queue.clear();
        Thread w = writer;
        if (w != null && w != Thread.currentThread() && writeStarted == 0) {
            w.interrupt();
        }
        return true;
    }

    boolean finished() {
        return finished.get();
    }

    private void offer(Outbound outbound) {
        if (closing.get()) {
            return;
        }
        if (!queue.offer(outbound)) {
            closeSlowConsumer("send queue full");
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                Outbound next = queue.take();
                writeStarted = System.nanoTime();
                switch (next) {
                    case Text t -> {
                        session.send(t.frame(), true);
                        if (t.counted()) {
                            ChatMetrics.get().delivered(t.micros());
                        }
                    }
                    case Ping p -> session.ping(BufferData.create(PING));
                    case Pong p -> session.pong(BufferData.create(p.data()));
                    case Close c -> {
                        session.close(c.code(), c.reason());
                        writeStarted = 0;
                        return;
                    }
                }
                writeStarted = 0;
            }
        } catch (InterruptedException e) {
            // finished or terminated
        } catch (RuntimeException e) {
            writeStarted = 0;
            if (!finished.get()) {
                LOG.log(Level.DEBUG, "Writing to " + idText + " failed: " + e.getMessage());
                terminate();
            }
        }
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                bytes++;
            } else if (ch < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(ch)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
