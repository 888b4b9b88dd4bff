package plaza.platform.observe;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.util.function.ToDoubleFunction;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

/**
 * The JVM's meters in scope {@code base}, named as Prometheus expects (snake_case, unit suffixes,
 * {@code _total} only on counters): {@code jvm_memory_used_bytes{area="heap"}}, {@code jvm_threads_live},
 * {@code jvm_gc_collections_total{gc="G1 Young Generation"}}, …
 *
 * <p>Instead of helidon-metrics-system-meters, whose MicroProfile names ({@code memory_usedHeap_bytes},
 * {@code classloader_loadedClasses_total}, a gauge {@code thread_count}) {@code promtool check metrics}
 * rejects as camelCase and as a {@code _count} that is not a histogram's.
 */
public final class JvmMeters {

    private static volatile boolean registered;

    private JvmMeters() {
    }

    /** Registers the meters once per JVM (the registry is global). */
    public static synchronized void register() {
        if (registered) {
            return;
        }
        MeterRegistry registry = Metrics.globalRegistry();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (String area : new String[] {"heap", "nonheap"}) {
            ToDoubleFunction<MemoryMXBean> used = m -> usage(m, area).getUsed();
            ToDoubleFunction<MemoryMXBean> committed = m -> usage(m, area).getCommitted();
            ToDoubleFunction<MemoryMXBean> max = m -> usage(m, area).getMax();
            gauge(registry, "jvm.memory.used.bytes", "Memory in use", memory, used, Tag.create("area", area));
            gauge(registry, "jvm.memory.committed.bytes", "Memory committed by the JVM", memory, committed, Tag.create("area", area));
            gauge(registry, "jvm.memory.max.bytes", "Most memory the JVM may use (-1 when unbounded)", memory, max, Tag.create("area", area));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        gauge(registry, "jvm.threads.live", "Live platform threads", threads, ThreadMXBean::getThreadCount);
        gauge(registry, "jvm.threads.daemon", "Live daemon threads", threads, ThreadMXBean::getDaemonThreadCount);
        gauge(registry, "jvm.threads.peak", "Most live threads since the JVM started", threads, ThreadMXBean::getPeakThreadCount);
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        gauge(registry, "jvm.classes.loaded", "Classes loaded now", classes, ClassLoadingMXBean::getLoadedClassCount);
        registry.getOrCreate(FunctionalCounter.builder("jvm.classes.unloaded", classes, ClassLoadingMXBean::getUnloadedClassCount)
                                     .description("Classes unloaded since the JVM started").scope("base"));
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            Tag name = Tag.create("gc", gc.getName());
            registry.getOrCreate(FunctionalCounter.builder("jvm.gc.collections", gc, GarbageCollectorMXBean::getCollectionCount)
                                         .description("Garbage collections").scope("base").addTag(name));
            // Seconds, the base unit, as a gauge: a functional counter can only count whole numbers.
            gauge(registry, "jvm.gc.collection.seconds", "Time spent in garbage collection since the JVM started", gc,
                  g -> g.getCollectionTime() / 1000.0, name);
        }
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        gauge(registry, "jvm.uptime.seconds", "Time since the JVM started", runtime, r -> r.getUptime() / 1000.0);
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        gauge(registry, "jvm.available.processors", "Processors available to the JVM", os, OperatingSystemMXBean::getAvailableProcessors);
        gauge(registry, "system.load.average.1m", "System load average over the last minute (-1 when unknown)", os,
              OperatingSystemMXBean::getSystemLoadAverage);
        registry.getOrCreate(FunctionalCounter.builder("plaza.log.events.dropped", LogQueueFullPolicy.class, c -> LogQueueFullPolicy.dropped())
                                     .description("Log lines dropped because the logging queue was full (a burst faster than stderr takes)")
                                     .scope("base"));
        registered = true;
    }

    private static MemoryUsage usage(MemoryMXBean memory, String area) {
        return area.equals("heap") ? memory.getHeapMemoryUsage() : memory.getNonHeapMemoryUsage();
    }

    private static <T> void gauge(MeterRegistry registry, String name, String description, T state, ToDoubleFunction<T> value,
                                  Tag... tags) {
        registry.getOrCreate(Gauge.builder(name, state, value).description(description).scope("base").tags(java.util.List.of(tags)));
    }
}
