import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;

/**
 * auth's benchmark driver (run by run.sh against a standalone Plaza on this machine). In one run:
 *  1. the raw Argon2id hash rate (m=19456 KiB, t=2, p=1, argon2-jvm) in this JVM, on as many threads as the
 *     service hashes at once (2 × cores), so both get the same share of a machine shared with other work;
 *  2. POST /auth/login throughput (correct password, 4 × cores clients);
 *  3. GET /health and GET /users/me (valid token) throughput with the same clients.
 * Prints both ratios: login/s ÷ hashes/s (target ≥ 0.85) and /users/me ÷ /health (target ≥ 0.5).
 */
public class AuthBench {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:18480";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        // The server's processes (its JVM and its embedded MariaDB): CPU they use is the service's cost.
        List<Long> serverPids = new ArrayList<>();
        if (args.length > 2) {
            for (String pid : args[2].split(",")) {
                if (!pid.isBlank()) {
                    serverPids.add(Long.parseLong(pid.trim()));
                }
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        // The service hashes at most 2 × cores passwords at once (auth.password.argon2.max-concurrent); the raw
        // measurement uses as many threads. Clients are twice that, so while some requests wait on the database
        // others keep every hashing slot busy, as under real load.
        int hashThreads = Integer.parseInt(System.getProperty("hash-threads", String.valueOf(2 * cores)));
        int clients = Integer.parseInt(System.getProperty("clients", String.valueOf(4 * cores)));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        String email = "bench-" + System.nanoTime() + "@example.com";
        String password = "bench-Marigold-Pepper-9";
        send(http, post(base + "/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"Bench\"}"), 201);
        String login = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
        String token = field(send(http, post(base + "/auth/login", login), 200), "access_token");

        // Warm both sides up (JIT, connection pool, libargon2 loaded).
        Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, 16, 32);
        run(hashThreads, 2, () -> argon2.hash(2, 19_456, 1, password.toCharArray()));
        run(clients, 2, () -> send(http, post(base + "/auth/login", login), 200));
        run(clients, 2, () -> send(http, get(base + "/users/me", token), 200));

        // The machine is shared and noisy: each pair is measured in alternating 2-second slices, so both sides of a
        // ratio see the same background load.
        // Besides wall-clock rates, each phase records the CPU seconds its side used (the driver's own JVM for raw
        // hashing; the server's JVM + MariaDB for requests), which other work on the machine does not distort.
        int rounds = Math.max(1, seconds / 2);
        double hashes = 0, logins = 0, health = 0, me = 0;
        Meter hashCpu = new Meter(), loginCpu = new Meter(), healthCpu = new Meter(), meCpu = new Meter();
        for (int r = 0; r < rounds; r++) {
            hashes += hashCpu.measure(List.of(), () -> run(hashThreads, 2, () -> argon2.hash(2, 19_456, 1, password.toCharArray()))) / rounds;
            logins += loginCpu.measure(serverPids, () -> run(clients, 2, () -> send(http, post(base + "/auth/login", login), 200))) / rounds;
        }
        for (int r = 0; r < rounds; r++) {
            health += healthCpu.measure(serverPids, () -> run(clients, 2, () -> send(http, get(base + "/health", null), 200))) / rounds;
            me += meCpu.measure(serverPids, () -> run(clients, 2, () -> send(http, get(base + "/users/me", token), 200))) / rounds;
        }

        System.out.printf("cores=%d clients=%d seconds per measurement=%d (in %d alternating 2 s slices)%n", cores, clients, 2 * rounds, rounds);
        System.out.printf("raw argon2id hashes/s (m=19456,t=2,p=1, %d threads): %.1f%n", hashThreads, hashes);
        System.out.printf("POST /auth/login/s:                              %.1f%n", logins);
        System.out.printf("login ratio (login/s / hashes/s, target >= 0.85): %.3f%n", logins / hashes);
        System.out.printf("GET /health/s:                                   %.1f%n", health);
        System.out.printf("GET /users/me/s:                                 %.1f%n", me);
        System.out.printf("me ratio (/users/me / /health, target >= 0.5):    %.3f%n", me / health);
        if (!serverPids.isEmpty()) {
            System.out.printf("per CPU second: raw hashes %.1f, logins %.1f -> login ratio %.3f; /health %.0f, /users/me %.0f -> me ratio %.3f%n",
                              hashCpu.perCpuSecond(), loginCpu.perCpuSecond(), loginCpu.perCpuSecond() / hashCpu.perCpuSecond(),
                              healthCpu.perCpuSecond(), meCpu.perCpuSecond(), meCpu.perCpuSecond() / healthCpu.perCpuSecond());
        }
    }

    /** Operations done and CPU seconds used by one side, over all slices of a phase. */
    static final class Meter {
        private double operations;
        private double cpuSeconds;

        interface Phase {
            double run() throws Exception;
        }

        /** Runs a phase (returning ops/s over 2 s), adding its operations and the CPU the given processes used. */
        double measure(List<Long> pids, Phase phase) throws Exception {
            double before = cpu(pids);
            long start = System.nanoTime();
            double rate = phase.run();
            double elapsed = (System.nanoTime() - start) / 1e9;
            cpuSeconds += cpu(pids) - before;
            operations += rate * elapsed;
            return rate;
        }

        double perCpuSecond() {
            return operations / cpuSeconds;
        }

        /** CPU seconds of the given processes; of this JVM when the list is empty. */
        static double cpu(List<Long> pids) throws Exception {
            if (pids.isEmpty()) {
                return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                               .getProcessCpuTime() / 1e9;
            }
            double total = 0;
            for (long pid : pids) {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime + stime, in ticks of 1/100 s
            }
            return total;
        }
    }

    interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} on {@code threads} threads for {@code seconds}; returns completed operations per second. */
    static double run(int threads, int seconds, Work work) throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            workers.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try {
                        work.run();
                        done.increment();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        return done.sum() / ((System.nanoTime() - start) / 1e9);
    }

    static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    static HttpRequest get(String url, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b.build();
    }

    static String send(HttpClient http, HttpRequest request, int expected) throws Exception {
        HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (res.statusCode() != expected) {
            throw new IllegalStateException(request.uri() + " answered " + res.statusCode() + ": " + res.body());
        }
        return res.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
