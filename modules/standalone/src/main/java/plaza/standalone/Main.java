package plaza.standalone;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import plaza.platform.config.PlazaConfig;

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
        Runtime.getRuntime().addShutdownHook(new Thread(plaza::close, "plaza-stop"));
        String base = "http://localhost:" + plaza.port();
        System.out.printf("""

                Plaza is ready in %.1f s — %s
                  %s/health                   seed 003 health
                  %s/api/v1/echo?q=hello      seed 003 echo
                  %s/observe/health/ready     readiness
                  %s/observe/metrics          Prometheus metrics
                  %s/auth/dev/outbox          mails auth sent (dev mailbox; see docs/auth.md)
                  %s/docs                     the API (Swagger UI over %s/openapi)
                Services: %s. Data: %s. Stop with Ctrl-C.
                %n""",
                (System.currentTimeMillis() - started) / 1e3, base, base, base, base, base, base, base, base,
                plaza.services().stream().map(s -> s.name()).toList(),
                config.get("standalone.data-dir").asString().orElse("plaza-data"));
    }
}
