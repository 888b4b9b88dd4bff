import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.postgresql.PGConnection;
import plaza.events.EventsService;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.testing.EmbeddedDatabases;
import plaza.testing.TestTokens;

/**
 * Ingestion through Plaza (HTTP batches, group commit, dedup through staging and event_ids) against
 * plain COPY of equivalent rows into the same partitioned table, in the same run on the same
 * PostgreSQL; then single-event track calls at a fixed rate, with their latency percentiles.
 */
public final class EventsBench {

    static final int CONNECTIONS = Integer.getInteger("connections", 64);
    static final int BATCH = Integer.getInteger("batch", 100);
    static final int SECONDS = Integer.getInteger("seconds", 10);
    static final int RATE = Integer.getInteger("rate", 2000);

    public static void main(String[] args) throws Exception {
        Config config = EmbeddedDatabases.config(Database.Vendor.POSTGRESQL, "events", PlazaConfig.override(Config.empty(),
                Map.of("plaza.access-log.enabled", "false", "plaza.tracing.enabled", "false")));
        TestTokens tokens = TestTokens.create();
        Database db = Database.open(config.get("db"), "events");
        EventsService service = EventsService.create(config, db, tokens.verifier());
        WebServerConfig.Builder builder = WebServer.builder();
        PlazaServer.configure(builder, config, List.of(service));
        WebServer server = builder.port(0).build().start();
        String base = "http://127.0.0.1:" + server.port();
        String token = tokens.token("bench-user");
        ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS, Thread.ofPlatform().daemon().factory());
        // The client's own executor: on the clients' pool it would wait for threads that wait for it.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory())).build();
        System.out.printf("events bench: %d connections, batches of %d, %d s per phase, track at %d/s; %d cores%n",
                          CONNECTIONS, BATCH, SECONDS, RATE, Runtime.getRuntime().availableProcessors());

        // warm-up, not counted
        http(client, threads, base, token, 2, "warm");
        double viaHttp = http(client, threads, base, token, SECONDS, "run");
        double viaCopy = copy(db, SECONDS);
        System.out.printf("HTTP batches: %,.0f events/s; plain COPY: %,.0f events/s; ratio %.2f (target >= 0.5)%n",
                          viaHttp, viaCopy, viaHttp / viaCopy);
        track(client, base, token, "warm", 2);
        track(client, base, token, "track", SECONDS);

        threads.shutdownNow();
        server.stop();
        service.close();
        System.exit(0);
    }

    /** CONNECTIONS clients, each posting batches back to back for {@code seconds}; events/s committed. */
    static double http(HttpClient client, ExecutorService threads, String base, String token, int seconds, String tag) throws Exception {
        AtomicLong events = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < CONNECTIONS; c++) {
            int id = c;
            clients.add(threads.submit(() -> {
                long n = 0;
                while (running.get()) {
                    StringBuilder body = new StringBuilder("{\"batch\":[");
                    for (int i = 0; i < BATCH; i++) {
                        body.append(i > 0 ? "," : "").append("{\"type\":\"track\",\"messageId\":\"").append(tag).append('-').append(id).append('-')
                                .append(n).append('-').append(i).append("\",\"event\":\"Product Viewed\",\"properties\":{\"productId\":")
                                .append(i).append(",\"price\":12900}}");
                    }
                    body.append("]}");
                    n++;
                    try {
                        HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create(base + "/events/batch"))
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                        if (res.statusCode() == 200) {
                            events.addAndGet(BATCH);
                        } else if (failures.incrementAndGet() == 1) {
                            System.out.println("  first failure: " + res.statusCode() + " " + res.body());
                        }
                    } catch (Exception e) {
                        if (failures.incrementAndGet() == 1) {
                            System.out.println("  first failure: " + e);
                        }
                    }
                }
            }));
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        for (var f : clients) {
            f.get();
        }
        double rate = events.get() / ((System.nanoTime() - start) / 1e9);
        if (!tag.equals("warm")) {
            System.out.printf("  HTTP: %,d events in %d s, %d failed requests%n", events.get(), seconds, failures.get());
        }
        return rate;
    }

    /** COPY of rows like the HTTP run's straight into `events`, 5,000 per COPY, for {@code seconds}. */
    static double copy(Database db, int seconds) throws Exception {
        long rows = 0;
        long seq = 1_000_000_000L;
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        try (Connection c = db.dataSource().getConnection()) {
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            while (System.nanoTime() < deadline) {
                StringBuilder csv = new StringBuilder(5000 * 200);
                String now = Instant.now().toString();
                for (int i = 0; i < 5000; i++) {
                    csv.append(seq++).append(",\"copy-").append(UUID.randomUUID()).append("\",track,\"Product Viewed\",bench-user,,")
                            .append(now).append(",,,").append(now).append(",\"{\"\"properties\"\":{\"\"productId\"\":").append(i)
                            .append(",\"\"price\"\":12900}}\"\n");
                }
                rows += copy.copyIn("COPY events (feed_seq, message_id, type, event, user_id, anonymous_id, ts, original_ts, sent_at,"
                                    + " received_at, payload) FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
            }
        }
        double rate = rows / ((System.nanoTime() - start) / 1e9);
        System.out.printf("  COPY: %,d rows in %d s%n", rows, seconds);
        return rate;
    }

    /** Single-event track calls started at RATE per second (open loop) for SECONDS; latency from the scheduled start. */
    static void track(HttpClient client, String base, String token, String tag, int seconds) throws Exception {
        long total = (long) RATE * seconds;
        long intervalNanos = 1_000_000_000L / RATE;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<?>> calls = new ArrayList<>();
        for (long i = 0; i < total; i++) {
            long scheduled = start + i * intervalNanos;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String body = "{\"messageId\":\"" + tag + "-" + i + "\",\"event\":\"Product Viewed\",\"properties\":{\"productId\":" + (i % 600) + "}}";
            calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/events/track"))
                                               .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                               .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                                  .whenComplete((res, e) -> {
                                      if (e != null || res.statusCode() != 200) {
                                          failures.incrementAndGet();
                                      } else {
                                          latencies.add(System.nanoTime() - scheduled);
                                      }
                                  }));
        }
        for (var f : calls) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // counted in whenComplete
            }
        }
        if (tag.equals("warm")) {
            return;
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            System.out.println("track: every call failed");
            return;
        }
        System.out.printf("track at %d/s for %d s: %d ok, %d failed; p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 20 ms)%n",
                          RATE, seconds, sorted.size(), failures.get(), ms(sorted, 0.50), ms(sorted, 0.99),
                          sorted.getLast() / 1e6);
    }

    static double ms(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }
}
