package plaza.chat.fanout;

/** A local connection that gets a group's frames. {@link #deliver} must never block. */
public interface Subscriber {

    String connectionId();

    /**
     * Queues a frame for the socket.
     *
     * @param frame   frame JSON
     * @param micros  commit time of a live event (fan-out latency), 0 for replays and unordered events
     * @param ordered whether it is a stored event (message, edit, delete), counted as delivered
     */
    void deliver(String frame, long micros, boolean ordered);
}
