package plaza.platform.observe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.core.util.DefaultShutdownCallbackRegistry;

/**
 * Every line logged before the JVM exits reaches stderr, those the shutdown itself logs included.
 * The JVM runs shutdown hooks all at once, so Log4j's own hook could stop the async logger while the
 * services' hooks still log ("stopped", a last error); Plaza's hooks are registered here instead and
 * Log4j's hook (this registry, named in {@code log4j2.component.properties}) waits for them, then
 * drains the queue and stops.
 */
public final class LogShutdown extends DefaultShutdownCallbackRegistry {

    private static final List<Thread> LOGGING_HOOKS = new CopyOnWriteArrayList<>();
    /** Longer than Plaza's own shutdown takes; a hook that hangs must not keep the JVM from exiting. */
    private static final long WAIT_MILLIS = TimeUnit.SECONDS.toMillis(30);

    /** Registers {@code hook} as a JVM shutdown hook whose log lines are written before logging stops. */
    public static void addHook(Thread hook) {
        LOGGING_HOOKS.add(hook);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void run() {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        for (Thread hook : LOGGING_HOOKS) {
            try {
                // The JVM starts its hooks one after another: this one may run before the others have started.
                while (hook.getState() == Thread.State.NEW && System.currentTimeMillis() < deadline) {
                    Thread.sleep(1);
                }
                hook.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        super.run();
    }
}
