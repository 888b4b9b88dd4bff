package plaza.platform.observe;

import java.time.Duration;

import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;

/**
 * Timers as Prometheus histograms: buckets only. A Helidon timer built without percentiles gets
 * MicroProfile's default client-side quantiles (0.5 … 0.999), written as a summary or, next to
 * buckets, as quantile series under a histogram's name — which {@code promtool check metrics}
 * rejects and which cannot be aggregated across replicas anyway ({@code histogram_quantile} can).
 */
public final class Histograms {

    /** Buckets for request-scale latencies: 1 ms … 10 s. */
    public static final Duration[] LATENCY = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    /** Buckets for slow work (model replies, index rebuilds): 10 ms … 2 min. */
    public static final Duration[] SLOW = {
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private Histograms() {
    }

    /** A timer in the global registry written as a histogram with these buckets and no quantiles. */
    public static Timer timer(String name, String description, Duration... buckets) {
        return Metrics.globalRegistry().getOrCreate(Timer.builder(name)
                                                            .description(description)
                                                            .percentiles(new double[0])
                                                            .buckets(buckets));
    }
}
