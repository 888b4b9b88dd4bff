package plaza.assistant.model;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stop signal for one generation. Providers register what aborts their I/O (closing the response
 * body) with {@link #onCancel}; the hook runs at once if the generation was already cancelled.
 */
public final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            hooks.forEach(Cancellation::runQuietly);
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Runs {@code hook} on cancel; returns a handle that unregisters it. */
    public Runnable onCancel(Runnable hook) {
        hooks.add(hook);
        if (cancelled.get()) {
            runQuietly(hook);
        }
        return () -> hooks.remove(hook);
    }

    private static void runQuietly(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException ignored) {
            // aborting I/O that is already gone is fine
        }
    }
}
