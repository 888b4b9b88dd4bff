package plaza.standalone;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import plaza.platform.config.PlazaConfig;
import plaza.platform.observe.LogShutdown;

/** Runs all of Plaza in one process: {@code java -jar modules/standalone/target/plaza-standalone.jar}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        // Time to ready counts from JVM start, embedded databases included.
        long started = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
                .orElse(System.currentTimeMillis());
        Config config = PlazaConfig.load();
        Standalone plaza = Standalone.start(config);
        LogShutdown.addHook(new Thread(plaza::close, "plaza-stop"));
        System.out.print(banner((System.currentTimeMillis() - started) / 1e3, "http://localhost:" + plaza.port(), plaza.devOutbox(),
                                plaza.services().stream().map(s -> s.name()).toList(),
                                config.get("standalone.data-dir").asString().orElse("plaza-data")));
    }

    /** What standalone prints once it is ready; the dev outbox line only when auth runs the dev mailbox (no SMTP host). */
    static String banner(double seconds, String base, boolean devOutbox, java.util.List<String> services, String dataDir) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nPlaza is ready in %.1f s — %s%n", seconds, base));
        out.append("  ").append(base).append("/                         the web app (shop, recipes, chat)\n");
        out.append("  ").append(base).append("/health                   seed 003 health\n");
        out.append("  ").append(base).append("/api/v1/echo?q=hello      seed 003 echo\n");
        out.append("  ").append(base).append("/observe/health/ready     readiness\n");
        out.append("  ").append(base).append("/observe/metrics          Prometheus metrics\n");
        if (devOutbox) {
            out.append("  ").append(base).append("/auth/dev/outbox          mails auth sent (dev mailbox; see docs/auth.md)\n");
        }
        out.append("  ").append(base).append("/docs                     the API (Swagger UI over ").append(base).append("/openapi)\n");
        out.append("Services: ").append(services).append(". Data: ").append(dataDir).append(". Stop with Ctrl-C.\n\n");
        return out.toString();
    }
}
