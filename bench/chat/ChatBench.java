import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import plaza.platform.embedded.EmbeddedPostgresServer;

/**
 * Chat benchmark: two chat servers (separate JVMs, plaza.chat.Main) on one embedded PostgreSQL,
 * N WebSocket clients in groups of G (each group split across both servers), a fixed publish
 * rate; measures delivered messages/s, send->receive latency p50/p99, lost and duplicated
 * deliveries, out-of-order deliveries. Then, on the same database, the ceiling: plain JDBC
 * INSERT + NOTIFY of the same messages received by one LISTEN connection (same rate, then flat out).
 *
 * Run through bench/chat/run.sh.
 */
public final class ChatBench {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    // options (system properties)
    static final int CONNECTIONS = Integer.getInteger("connections", 2000);
    static final int GROUP_SIZE = Integer.getInteger("groupSize", 20);
    static final int RATE = Integer.getInteger("rate", 500);
    static final int WARMUP_S = Integer.getInteger("warmup", 5);
    static final int SECONDS = Integer.getInteger("seconds", 30);
    static final int BODY = Integer.getInteger("body", 100);
    static final String SERVER_HEAP = System.getProperty("serverHeap", "768m");

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("chat-bench");
        System.out.printf("chat bench: %d connections, groups of %d, %d msg/s for %d s (+%d s warm-up), body %d chars%n",
                          CONNECTIONS, GROUP_SIZE, RATE, SECONDS, WARMUP_S, BODY);
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(null, 0);
        String url = pg.database("chat_bench");
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
        Path jwks = work.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());

        List<Process> servers = new ArrayList<>();
        int[] ports = {freePort(), freePort()};
        try {
            for (int i = 0; i < 2; i++) {
                servers.add(startServer(i, ports[i], url, pg, jwks, work));
            }
            for (int port : ports) {
                awaitReady(port);
            }
            System.out.println("servers ready on ports " + Arrays.toString(ports) + " (logs in " + work + ")");
            Result chat = runChat(ports, key);
            for (Process p : servers) {
                p.destroy();
            }
            for (Process p : servers) {
                p.waitFor(20, TimeUnit.SECONDS);
            }
            servers.clear();
            Ceiling ceiling = runCeiling(url, pg);
            report(chat, ceiling);
        } finally {
            for (Process p : servers) {
                p.destroyForcibly();
            }
            pg.close();
        }
    }

    // ---------------------------------------------------------------- chat phase

    record Result(long published, long acked, double deliveredPerSecond, double publishedPerSecond, long expected,
                  long delivered, long lost, long duplicated, long outOfOrder, long errors, long closed,
                  long p50, long p99, long p999, long max, double connectSeconds) {
    }

    static final class Client implements WebSocket.Listener {
        final int index;
        final String group;
        final CountDownLatch joined = new CountDownLatch(1);
        Semaphore permit;
        int joinAttempts;
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;
        CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
        long lastSeq;

        Client(int index, String group) {
            this.index = index;
            this.group = group;
        }

        synchronized void send(String text) {
            chain = chain.thenCompose(x -> ws.sendText(text, true)).exceptionally(e -> {
                SEND_ERRORS.incrementAndGet();
                return null;
            });
        }

        void join() {
            joinAttempts++;
            send("{\"action\":\"joinGroup\",\"groupId\":\"" + group + "\"}");
        }

        synchronized void release() {
            if (permit != null) {
                permit.release();
                permit = null;
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String text;
            if (partial.isEmpty() && last) {
                text = data.toString();
            } else {
                partial.append(data);
                if (!last) {
                    return null;
                }
                text = partial.toString();
                partial.setLength(0);
            }
            long now = System.nanoTime();
            if (text.startsWith("{\"type\":\"message\"")) {
                onMessage(text, now);
            } else if (text.startsWith("{\"type\":\"ack\"")) {
                ACKED.incrementAndGet();
            } else if (text.startsWith("{\"type\":\"joined\"")) {
                joined.countDown();
                release();
            } else if (text.startsWith("{\"type\":\"error\"")) {
                if (joined.getCount() > 0 && joinAttempts < 10) {
                    JOIN_RETRIES.incrementAndGet();
                    CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(this::join);
                } else {
                    ERRORS.incrementAndGet();
                }
            }
            return null;
        }

        private void onMessage(String text, long now) {
            int s = text.indexOf("\"seq\":") + 6;
            long seq = Long.parseLong(text, s, text.indexOf(',', s), 10);
            if (seq <= lastSeq) {
                OUT_OF_ORDER.incrementAndGet();
            }
            lastSeq = seq;
            int m = text.indexOf("\"message\":\"m") + 12;
            int colon = text.indexOf(':', m);
            int id = Integer.parseInt(text, m, colon, 10);
            int end = text.indexOf('|', colon);
            long sent = Long.parseLong(text, colon + 1, end, 10);
            if (id < COUNTS.length()) {
                COUNTS.incrementAndGet(id);
            }
            if (id >= MEASURE_FROM.get()) {
                int slot = LAT_INDEX.getAndIncrement();
                if (slot < LATENCIES.length) {
                    LATENCIES[slot] = now - sent;
                }
                MEASURED_DELIVERIES.incrementAndGet();
                LAST_DELIVERY.accumulateAndGet(now, Math::max);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            CLOSED.incrementAndGet();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            CLOSED.incrementAndGet();
        }
    }

    static AtomicIntegerArray COUNTS;
    static long[] LATENCIES;
    static final AtomicInteger LAT_INDEX = new AtomicInteger();
    static final AtomicInteger MEASURE_FROM = new AtomicInteger(Integer.MAX_VALUE);
    static final AtomicLong MEASURED_DELIVERIES = new AtomicLong();
    static final AtomicLong LAST_DELIVERY = new AtomicLong();
    static final AtomicLong ACKED = new AtomicLong();
    static final AtomicLong ERRORS = new AtomicLong();
    static final AtomicLong SEND_ERRORS = new AtomicLong();
    static final AtomicLong OUT_OF_ORDER = new AtomicLong();
    static final AtomicLong CLOSED = new AtomicLong();
    static final AtomicLong JOIN_RETRIES = new AtomicLong();

    static Result runChat(int[] ports, ECKey key) throws Exception {
        int groups = CONNECTIONS / GROUP_SIZE;
        int total = RATE * (WARMUP_S + SECONDS);
        COUNTS = new AtomicIntegerArray(total);
        LATENCIES = new long[(int) Math.min(Integer.MAX_VALUE - 8, (long) RATE * SECONDS * GROUP_SIZE + 1000)];
        List<Client> clients = new ArrayList<>();
        long connectStart = System.nanoTime();
        Semaphore inFlight = new Semaphore(Integer.getInteger("connectConcurrency", 16));
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            int group = i % groups;
            Client c = new Client(i, "bench-" + group);
            clients.add(c);
            int port = ports[(i / groups) % 2]; // each group: members alternate between the servers
            String token = token(key, "user" + i);
            inFlight.acquire();
            c.permit = inFlight;
            CompletableFuture<WebSocket> f = HTTP.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token)
                    .connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat/ws"), c)
                    .whenComplete((ws, e) -> {
                        if (e != null) {
                            c.release();
                        }
                    });
            f.thenAccept(ws -> {
                c.ws = ws;
                c.join();
            });
            pending.add(f);
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        for (Client c : clients) {
            if (!c.joined.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("client " + c.index + " did not join");
            }
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        System.out.printf("%d connections joined %d groups in %.1f s (%d join retries)%n", clients.size(), groups, connectSeconds,
                          JOIN_RETRIES.get());
        Thread.sleep(2000); // let the presence storm of the joins settle

        String pad = "x".repeat(Math.max(0, BODY - 30));
        long interval = 1_000_000_000L / RATE;
        int warmup = RATE * WARMUP_S;
        long start = System.nanoTime();
        long measureStart = 0;
        long deliveredAtMeasureStart = 0;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (i == warmup) {
                MEASURE_FROM.set(warmup);
                measureStart = System.nanoTime();
            }
            int group = i % groups;
            int member = (i / groups) % GROUP_SIZE;
            Client sender = clients.get(member * groups + group);
            sender.send("{\"action\":\"sendMessage\",\"message\":\"m" + i + ":" + System.nanoTime() + "|" + pad + "\"}");
        }
        long publishEnd = System.nanoTime();
        double publishedPerSecond = (double) (total - warmup) / ((publishEnd - measureStart) / 1e9);
        // drain: wait until nothing more arrives
        long last = -1;
        long measured;
        while ((measured = MEASURED_DELIVERIES.get()) != last) {
            last = measured;
            Thread.sleep(2000);
        }
        double deliveredPerSecond = measured / ((Math.max(LAST_DELIVERY.get(), publishEnd) - measureStart) / 1e9);

        long lost = 0;
        long duplicated = 0;
        long delivered = 0;
        for (int i = 0; i < total; i++) {
            int n = COUNTS.get(i);
            delivered += n;
            if (n < GROUP_SIZE) {
                lost += GROUP_SIZE - n;
            } else if (n > GROUP_SIZE) {
                duplicated += n - GROUP_SIZE;
            }
        }
        int samples = Math.min(LAT_INDEX.get(), LATENCIES.length);
        long[] lat = Arrays.copyOf(LATENCIES, samples);
        Arrays.sort(lat);
        long closedByServer = CLOSED.get();
        for (Client c : clients) {
            c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        return new Result(total, ACKED.get(), deliveredPerSecond, publishedPerSecond, (long) total * GROUP_SIZE, delivered, lost,
                          duplicated, OUT_OF_ORDER.get(), ERRORS.get() + SEND_ERRORS.get(), closedByServer,
                          pct(lat, 0.50), pct(lat, 0.99), pct(lat, 0.999), samples == 0 ? 0 : lat[samples - 1], connectSeconds);
    }

    // ---------------------------------------------------------------- ceiling phase

    record Ceiling(double ratePerSecond, long received, long sent, long p50, long p99, double maxPerSecond) {
    }

    static Ceiling runCeiling(String url, EmbeddedPostgresServer pg) throws Exception {
        try (Connection admin = DriverManager.getConnection(url, pg.username(), pg.password());
             Statement s = admin.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_ceiling (id BIGSERIAL PRIMARY KEY, group_id TEXT, body TEXT, created_at TIMESTAMPTZ DEFAULT now())");
        }
        AtomicLong received = new AtomicLong();
        long[] latencies = new long[RATE * SECONDS + 1000];
        AtomicInteger index = new AtomicInteger();
        AtomicInteger running = new AtomicInteger(1);
        Connection listen = DriverManager.getConnection(url, pg.username(), pg.password());
        try (Statement s = listen.createStatement()) {
            s.execute("LISTEN bench_ceiling");
        }
        PGConnection pgl = listen.unwrap(PGConnection.class);
        AtomicInteger measure = new AtomicInteger(0);
        Thread listener = Thread.ofPlatform().start(() -> {
            try {
                while (running.get() == 1) {
                    PGNotification[] ns = pgl.getNotifications(200);
                    if (ns == null) {
                        continue;
                    }
                    long now = System.nanoTime();
                    for (PGNotification n : ns) {
                        String p = n.getParameter();
                        int colon = p.indexOf(':');
                        long sent = Long.parseLong(p, colon + 1, p.indexOf('|', colon), 10);
                        received.incrementAndGet();
                        if (measure.get() == 1) {
                            int slot = index.getAndIncrement();
                            if (slot < latencies.length) {
                                latencies[slot] = now - sent;
                            }
                        }
                    }
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        String pad = "x".repeat(Math.max(0, BODY - 30));
        int pool = 8;
        List<Connection> conns = new ArrayList<>();
        for (int i = 0; i < pool; i++) {
            conns.add(DriverManager.getConnection(url, pg.username(), pg.password()));
        }
        String sql = "WITH m AS (INSERT INTO bench_ceiling (group_id, body) VALUES (?, ?) RETURNING id) SELECT pg_notify('bench_ceiling', ?) FROM m";
        // fixed rate, same as the chat phase
        Semaphore free = new Semaphore(pool);
        java.util.concurrent.BlockingQueue<Connection> idle = new java.util.concurrent.LinkedBlockingQueue<>(conns);
        long interval = 1_000_000_000L / RATE;
        int total = RATE * SECONDS;
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        measure.set(1);
        for (int i = 0; i < total; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            free.acquire();
            Connection c = idle.take();
            int n = i;
            Thread.startVirtualThread(() -> {
                try {
                    insertNotify(c, sql, n, pad);
                    sent.incrementAndGet();
                } finally {
                    idle.add(c);
                    free.release();
                }
            });
        }
        free.acquire(pool);
        free.release(pool);
        Thread.sleep(1000);
        measure.set(0);
        double rate = (double) total / ((System.nanoTime() - start - 1_000_000_000L) / 1e9);
        long fixedReceived = received.get();
        // flat out for 10 s
        long burstStart = System.nanoTime();
        long burstEnd = burstStart + 10_000_000_000L;
        AtomicLong burst = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (Connection c : conns) {
            workers.add(Thread.ofPlatform().start(() -> {
                int n = 1_000_000;
                while (System.nanoTime() < burstEnd) {
                    insertNotify(c, sql, n++, pad);
                    burst.incrementAndGet();
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        double maxPerSecond = burst.get() / ((System.nanoTime() - burstStart) / 1e9);
        Thread.sleep(1000);
        running.set(0);
        listener.join();
        for (Connection c : conns) {
            c.close();
        }
        listen.close();
        int samples = Math.min(index.get(), latencies.length);
        long[] lat = Arrays.copyOf(latencies, samples);
        Arrays.sort(lat);
        return new Ceiling(rate, fixedReceived, sent.get(), pct(lat, 0.5), pct(lat, 0.99), maxPerSecond);
    }

    static void insertNotify(Connection c, String sql, int n, String pad) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "bench-" + (n % 100));
            String body = "m" + n + ":" + System.nanoTime() + "|" + pad;
            ps.setString(2, body);
            ps.setString(3, body);
            ps.executeQuery().close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- report, helpers

    static void report(Result r, Ceiling c) {
        System.out.println();
        System.out.println("=== chat: two servers, one PostgreSQL ===");
        System.out.printf(Locale.ROOT, "connections %d in groups of %d; connect+join %.1f s%n", CONNECTIONS, GROUP_SIZE, r.connectSeconds());
        System.out.printf(Locale.ROOT, "published %.0f msg/s (target %d), acked %d of %d%n", r.publishedPerSecond(), RATE, r.acked(), r.published());
        System.out.printf(Locale.ROOT, "delivered %.0f msg/s (measured window), %d of %d expected deliveries overall%n",
                          r.deliveredPerSecond(), r.delivered(), r.expected());
        System.out.printf(Locale.ROOT, "send->receive latency p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
                          r.p50() / 1e6, r.p99() / 1e6, r.p999() / 1e6, r.max() / 1e6);
        System.out.printf(Locale.ROOT, "lost %d, duplicated %d, out of order %d, error frames %d, sockets closed by server %d%n",
                          r.lost(), r.duplicated(), r.outOfOrder(), r.errors(), r.closed());
        System.out.println("=== ceiling: plain JDBC INSERT + NOTIFY, one LISTEN connection, same database ===");
        System.out.printf(Locale.ROOT, "at %.0f msg/s: received %d of %d, insert->notification p50 %.1f ms, p99 %.1f ms%n",
                          c.ratePerSecond(), c.received(), c.sent(), c.p50() / 1e6, c.p99() / 1e6);
        System.out.printf(Locale.ROOT, "flat out (8 connections): %.0f INSERT+NOTIFY/s%n", c.maxPerSecond());
        System.out.println("=== ratios ===");
        System.out.printf(Locale.ROOT, "chat msgs in/s vs ceiling max: %.2f; chat p50/p99 vs ceiling p50/p99: %.1fx / %.1fx%n",
                          r.publishedPerSecond() / c.maxPerSecond(), (double) r.p50() / Math.max(1, c.p50()),
                          (double) r.p99() / Math.max(1, c.p99()));
        boolean pass = r.p99() < 50_000_000L && r.lost() == 0 && r.duplicated() == 0;
        System.out.println("target (p99 < 50 ms, 0 lost, 0 duplicated): " + (pass ? "MET" : "NOT MET"));
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static String token(ECKey key, String user) throws Exception {
        Date now = new Date();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("plaza").audience("plaza").subject(user)
                .issueTime(now).notBeforeTime(now).expirationTime(new Date(now.getTime() + 3_600_000))
                .claim("name", user).claim("roles", List.of()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    static Process startServer(int i, int port, String url, EmbeddedPostgresServer pg, Path jwks, Path work) throws IOException {
        String chat = System.getProperty("chatJar", "modules/chat/target/plaza-chat.jar");
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + SERVER_HEAP, "-XX:+Use" + System.getProperty("serverGc", "Z") + "GC",
                "-Dplaza.jwt.jwks-file=" + jwks,
                System.getProperty("serverJfr", "false").equals("true")
                        ? "-XX:StartFlightRecording=filename=" + work.resolve("server-" + i + ".jfr") + ",settings=profile"
                        : "-Dplaza.bench=true",
                "-Dplaza.access-log.enabled=false",
                "-Dchat.replica-id=bench-" + i,
                "-Ddb.pool.max-size=" + Integer.getInteger("pool", 10),
                "-jar", chat);
        pb.environment().put("DB_URL", url);
        pb.environment().put("DB_USERNAME", pg.username());
        pb.environment().put("DB_PASSWORD", pg.password());
        pb.environment().put("PORT", String.valueOf(port));
        pb.redirectErrorStream(true);
        pb.redirectOutput(work.resolve("server-" + i + ".log").toFile());
        return pb.start();
    }

    static void awaitReady(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).build(),
                                                   HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || r.statusCode() == 204) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("server on " + port + " did not get ready");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
