package plaza.platform.db;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs blocking database work where no {@link Thread#interrupt()} can reach it. Interrupting a
 * virtual thread blocked in socket I/O closes that socket; when the thread is a WebSocket reader
 * that is cut because its client vanished, the socket may be a pooled JDBC connection's, which is
 * then broken for everyone (SQLSTATE 08006). The work runs on a fresh virtual thread nobody knows;
 * the caller waits for it uninterruptibly and gets its interrupt status back afterwards, so the
 * interrupt still ends the caller's own socket reads.
 */
public final class InterruptShield {

    private InterruptShield() {
    }

    /** Runs {@code work} to the end on a thread of its own; its exception (unchecked) is rethrown here. */
    public static void run(Runnable work) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        Thread worker = Thread.ofVirtual().name(caller.getName() + "-shielded").start(() -> {
            try {
                work.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            caller.interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }
}
