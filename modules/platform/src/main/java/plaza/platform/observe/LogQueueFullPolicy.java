package plaza.platform.observe;

import java.util.concurrent.atomic.LongAdder;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.async.AsyncQueueFullPolicy;
import org.apache.logging.log4j.core.async.EventRoute;

/**
 * What the async logger does when its bounded queue is full (a burst faster than stderr drains):
 * INFO and finer lines — the access log — are dropped and counted ({@code plaza_log_events_dropped_total}),
 * so a burst costs neither memory nor request latency; warnings and errors wait for room, since those
 * are the lines someone will look for. Named in {@code log4j2.component.properties}.
 */
public final class LogQueueFullPolicy implements AsyncQueueFullPolicy {

    private static final LongAdder DROPPED = new LongAdder();

    /** Log events dropped in this JVM because the logging queue was full. */
    public static long dropped() {
        return DROPPED.sum();
    }

    @Override
    public EventRoute getRoute(long backgroundThreadId, Level level) {
        if (Thread.currentThread().threadId() == backgroundThreadId) {
            return EventRoute.SYNCHRONOUS; // the logging thread itself logs (an appender's error): waiting would deadlock
        }
        if (level.isMoreSpecificThan(Level.WARN)) {
            return EventRoute.ENQUEUE;
        }
        DROPPED.increment();
        return EventRoute.DISCARD;
    }
}
