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
 *  1. the raw Argon2id hash rate (m=19456 KiB, t=2, p=1, argon2-jvm, one thread per core) in this JVM;
 *  2. POST /auth/login throughput (correct password, 2 × cores clients, the service's own hashing limit);
 *  3. GET /health and GET /users/me (valid token) throughput with the same clients.
 * Prints both ratios: login/s ÷ hashes/s (target ≥ 0.85) and /users/me ÷ /health (target ≥ 0.5).
 */
public class AuthBench {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:18480";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int cores = Runtime.getRuntime().availableProcessors();
        int clients = Integer.parseInt(System.getProperty("clients", String.valueOf(2 * cores)));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        String email = "bench-" + System.nanoTime() + "@example.com";
        String password = "bench-Marigold-Pepper-9";
        send(http, post(base + "/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"Bench\"}"), 201);
        String login = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
        String token = field(send(http, post(base + "/auth/login", login), 200), "access_token");

        // Warm both sides up (JIT, connection pool, libargon2 loaded).
        Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, 16, 32);
        run(cores, 2, () -> argon2.hash(2, 19_456, 1, password.toCharArray()));
        run(clients, 2, () -> send(http, post(base + "/auth/login", login), 200));
        run(clients, 2, () -> send(http, get(base + "/users/me", token), 200));

        // The machine is shared and noisy: each pair is measured in alternating 2-second slices, so both sides of a
        // ratio see the same background load.
        int rounds = Math.max(1, seconds / 2);
        double hashes = 0, logins = 0, health = 0, me = 0;
        for (int r = 0; r < rounds; r++) {
            hashes += run(cores, 2, () -> argon2.hash(2, 19_456, 1, password.toCharArray())) / rounds;
            logins += run(clients, 2, () -> send(http, post(base + "/auth/login", login), 200)) / rounds;
        }
        for (int r = 0; r < rounds; r++) {
            health += run(clients, 2, () -> send(http, get(base + "/health", null), 200)) / rounds;
            me += run(clients, 2, () -> send(http, get(base + "/users/me", token), 200)) / rounds;
        }

        System.out.printf("cores=%d clients=%d seconds per measurement=%d (in %d alternating 2 s slices)%n", cores, clients, 2 * rounds, rounds);
        System.out.printf("raw argon2id hashes/s (m=19456,t=2,p=1, %d threads): %.1f%n", cores, hashes);
        System.out.printf("POST /auth/login/s:                              %.1f%n", logins);
        System.out.printf("login ratio (login/s / hashes/s, target >= 0.85): %.3f%n", logins / hashes);
        System.out.printf("GET /health/s:                                   %.1f%n", health);
        System.out.printf("GET /users/me/s:                                 %.1f%n", me);
        System.out.printf("me ratio (/users/me / /health, target >= 0.5):    %.3f%n", me / health);
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
