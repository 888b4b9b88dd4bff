package plaza.platform.observe;

import io.helidon.logging.common.LogConfig;

/**
 * A process that logs as a Plaza service does, for {@link LogFlushAtExitTest}: a burst of {@code args[0]}
 * lines, then "burst logged" on stdout, then waits to be stopped; its shutdown hook logs 100 more lines and
 * how many were dropped, as a service's hook logs its stopping.
 */
public final class LogBurst {

    private LogBurst() {
    }

    public static void main(String[] args) throws InterruptedException {
        LogConfig.configureRuntime();
        System.Logger log = System.getLogger("plaza.burst"); // as Plaza's code logs
        int lines = Integer.parseInt(args[0]);
        LogShutdown.addHook(new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                log.log(System.Logger.Level.INFO, "stopping " + i);
            }
            log.log(System.Logger.Level.WARNING, "dropped " + LogQueueFullPolicy.dropped());
        }, "burst-stop"));
        for (int i = 0; i < lines; i++) {
            log.log(System.Logger.Level.INFO, "line " + i);
        }
        System.out.println("burst logged");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
