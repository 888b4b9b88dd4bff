import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpServer;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import plaza.assistant.AssistantService;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.testing.EmbeddedDatabases;
import plaza.testing.TestTokens;

/**
 * Plaza's added latency on streamed replies. A local fake OpenAI-compatible upstream streams
 * TOKENS chunks, one every TOKEN_MS on a fixed schedule from the request's arrival; CONCURRENCY
 * clients stream at once, either straight from the upstream or through Plaza (POST
 * /ai/conversations/{id}/messages, SSE, with PostgreSQL, memory, quota check and the saved turn).
 *
 * <p>Plaza (with its embedded PostgreSQL) runs in its own JVM, as it would in a deployment; the
 * clients and the fake upstream run in this one, on platform threads, and use the same code for
 * both paths. So Plaza's work competes with the clients and the upstream only for the CPU (as
 * processes on one machine do), not for the same virtual-thread carriers, safepoints and GC
 * pauses, which made the upstream's token rate and the clients' clocks depend on Plaza's load.
 * Blocks alternate between the two paths so both see the same machine noise. Reports
 * time-to-first-token and whole-reply time, p50/p99 over every measured stream of each path,
 * Plaza's added p50/p99, the added p50 of each block pair (to see the noise), and the CPU the
 * Plaza process and its PostgreSQL spent per reply.
 */
public final class AssistantBench {

    static final int CONCURRENCY = Integer.getInteger("concurrency", 50);
    static final int ROUNDS = Integer.getInteger("rounds", 10);
    static final int WARMUP = Integer.getInteger("warmup", 20);
    static final int PER_USER = Integer.getInteger("perUser", 3);
    static final int TOKENS = Integer.getInteger("tokens", 20);
    static final int TOKEN_MS = Integer.getInteger("tokenMs", 10);
    /** How many users the streams belong to: 1 (default) puts all of them on one user's quota and usage rows. */
    static final int USERS = Integer.getInteger("users", 1);

    record Sample(long ttftNanos, long totalNanos) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--serve")) {
            serve(args[1]);
            return;
        }
        HttpServer upstream = fakeUpstream();
        String base = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1";
        Process plazaProcess = startPlaza(base);
        String[] ready = awaitReady(plazaProcess);
        String plazaBase = "http://127.0.0.1:" + ready[0];
        List<String> userTokens = List.of(ready).subList(3, ready.length);
        ExecutorService clientThreads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads).build();

        List<String> conversations = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            String token = userTokens.get(i % userTokens.size());
            tokens.add(token);
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(plazaBase + "/ai/conversations"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            String body = created.body();
            int at = body.indexOf("\"id\":\"") + 6;
            conversations.add(body.substring(at, body.indexOf('"', at)));
        }

        ProcessHandle plaza = plazaProcess.toHandle();
        ProcessHandle postgres = postmaster(ready[1]);
        List<Sample> direct = Collections.synchronizedList(new ArrayList<>());
        List<Sample> viaPlaza = Collections.synchronizedList(new ArrayList<>());
        List<String> blocks = new ArrayList<>();
        long[] plazaCpu = new long[2];
        long[] dbCpu = new long[2];
        // Warm-up, then blocks that alternate between the two paths so both see the same machine noise.
        for (int block = 0; block < WARMUP + ROUNDS; block++) {
            boolean measured = block >= WARMUP;
            int b = block;
            List<Sample> d = Collections.synchronizedList(new ArrayList<>());
            List<Sample> p = Collections.synchronizedList(new ArrayList<>());
            long jvm0 = cpuNanos(plaza);
            long db0 = treeCpuNanos(postgres);
            runPhase(i -> directStream(client, base, "direct " + b + "/" + i), d);
            long jvm1 = cpuNanos(plaza);
            long db1 = treeCpuNanos(postgres);
            runPhase(i -> plazaStream(client, plazaBase, tokens.get(i), conversations.get(i), "via plaza " + b + "/" + i), p);
            long jvm2 = cpuNanos(plaza);
            long db2 = treeCpuNanos(postgres);
            if (measured) {
                direct.addAll(d);
                viaPlaza.addAll(p);
                plazaCpu[0] += jvm1 - jvm0;
                plazaCpu[1] += jvm2 - jvm1;
                dbCpu[0] += db1 - db0;
                dbCpu[1] += db2 - db1;
                blocks.add(String.format("%+.1f", ms(pct(p, true, 50)) - ms(pct(d, true, 50))));
            }
        }
        System.out.printf("%nAssistant streaming benchmark: %d concurrent streams of %d user(s), %d blocks per path (+%d warm-up) of %d replies per stream"
                          + " (first of each not counted), %d tokens at %d ms each%n", CONCURRENCY, USERS, ROUNDS, WARMUP, PER_USER, TOKENS, TOKEN_MS);
        report("direct to upstream", direct);
        report("through Plaza", viaPlaza);
        double addedTtft50 = ms(pct(viaPlaza, true, 50)) - ms(pct(direct, true, 50));
        double addedTtft99 = ms(pct(viaPlaza, true, 99)) - ms(pct(direct, true, 99));
        double addedTotal50 = ms(pct(viaPlaza, false, 50)) - ms(pct(direct, false, 50));
        double addedTotal99 = ms(pct(viaPlaza, false, 99)) - ms(pct(direct, false, 99));
        System.out.printf("Plaza adds: time-to-first-token p50 %+.2f ms, p99 %+.2f ms; whole reply p50 %+.2f ms, p99 %+.2f ms%n",
                          addedTtft50, addedTtft99, addedTotal50, addedTotal99);
        System.out.println("Added time-to-first-token p50 per block pair (ms): " + String.join(" ", blocks));
        long replies = (long) ROUNDS * CONCURRENCY * PER_USER;
        System.out.printf("CPU per reply through Plaza: Plaza's JVM %.2f ms, its PostgreSQL %.2f ms (while the direct blocks ran: %.2f / %.2f ms)%n",
                          plazaCpu[1] / 1e6 / replies, dbCpu[1] / 1e6 / replies, plazaCpu[0] / 1e6 / replies, dbCpu[0] / 1e6 / replies);
        System.out.printf("Target: added p50 < 5 ms, p99 < 20 ms (LiteLLM publishes 12 ms median overhead) -> %s%n",
                          addedTtft50 < 5 && addedTotal50 < 5 && addedTtft99 < 20 && addedTotal99 < 20 ? "MET" : "NOT MET");
        plazaProcess.getOutputStream().close(); // Plaza stops when its stdin closes
        if (!plazaProcess.waitFor(20, TimeUnit.SECONDS)) {
            plazaProcess.destroy();
        }
        upstream.stop(0);
        System.exit(0);
    }

    /** The process under test: embedded PostgreSQL and the assistant, until stdin closes. */
    static void serve(String upstreamBase) throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("assistant.provider.base-url", upstreamBase);
        values.put("assistant.provider.model", "bench-model");
        values.put("assistant.quota.daily-tokens", "0");
        values.put("assistant.quota.monthly-tokens", "0");
        values.put("plaza.access-log.enabled", "false");
        values.put("db.pool.max-size", "20");
        Config config = EmbeddedDatabases.config(Database.Vendor.POSTGRESQL, "assistant", PlazaConfig.override(Config.empty(), values));
        TestTokens tokens = TestTokens.create();
        AssistantService service = AssistantService.create(config, Database.open(config.get("db"), "assistant"), tokens.verifier());
        WebServerConfig.Builder builder = WebServer.builder();
        PlazaServer.configure(builder, config, List.of(service));
        builder.port(0);
        WebServer plaza = builder.build().start();
        String dbUrl = config.get("db.url").asString().orElse("");
        String dbPort = dbUrl.replaceAll("^jdbc:postgresql://[^:/]+:(\\d+)/.*$", "$1");
        StringBuilder ready = new StringBuilder("PLAZA-READY " + plaza.port() + " " + dbPort + " -");
        for (int u = 0; u < USERS; u++) {
            ready.append(' ').append(tokens.token(USERS == 1 ? "bench-user" : "bench-user-" + u));
        }
        System.out.println(ready);
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the benchmark closes our stdin
        }
        plaza.stop();
        service.close();
        System.exit(0);
    }

    static Process startPlaza(String upstreamBase) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g"));
        String extra = System.getProperty("plazaJvmArgs", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                               "-Dusers=" + USERS,
                               System.getProperty("bench.source", "bench/assistant/AssistantBench.java"), "--serve", upstreamBase));
        Path log = Path.of(System.getProperty("plazaLog", "modules/assistant/target/assistant-bench-plaza.log"));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    }

    static String[] awaitReady(Process plaza) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(plaza.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PLAZA-READY ")) {
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep draining
                        }
                    } catch (IOException ignored) {
                        // Plaza stopped
                    }
                });
                return line.substring("PLAZA-READY ".length()).split(" ");
            }
        }
        System.err.println("Plaza did not start; see modules/assistant/target/assistant-bench-plaza.log");
        System.exit(1); // the fake upstream's threads would keep this JVM alive
        return null;
    }

    static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** Plaza's embedded PostgreSQL (pg_ctl detaches it from Plaza's process tree): the postmaster on that port. */
    static ProcessHandle postmaster(String port) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").endsWith("/postgres"))
                .filter(p -> String.join(" ", p.info().arguments().orElse(new String[0])).contains("-p " + port + " "))
                .findFirst().orElse(null);
    }

    /** CPU of a process and all its children (PostgreSQL: the postmaster and its backends). */
    static long treeCpuNanos(ProcessHandle process) {
        return process == null ? 0 : cpuNanos(process) + process.descendants().mapToLong(AssistantBench::cpuNanos).sum();
    }

    interface Stream {
        Sample run(int index) throws Exception;
    }

    /**
     * CONCURRENCY users, each streaming PER_USER replies back to back (a closed loop, so
     * CONCURRENCY streams are open at any time); users start at random offsets within one reply's
     * duration so arrivals spread out as they do in steady traffic, not in one burst. The first
     * reply of each user in a block is not counted.
     */
    static void runPhase(Stream stream, List<Sample> into) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(CONCURRENCY);
        long spread = (long) TOKENS * TOKEN_MS;
        for (int i = 0; i < CONCURRENCY; i++) {
            int index = i;
            long offset = ThreadLocalRandom.current().nextLong(spread + 1);
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(offset);
                    for (int n = 0; n < PER_USER; n++) {
                        Sample s = stream.run(index);
                        if (n > 0) {
                            into.add(s);
                        }
                    }
                } catch (Exception e) {
                    System.err.println("stream failed: " + e);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
    }

    static Sample directStream(HttpClient client, String base, String content) throws Exception {
        String body = "{\"model\":\"bench-model\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                      + "\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        return read(response, start, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\"",
                    "data: [DONE]");
    }

    static Sample plazaStream(HttpClient client, String base, String token, String conversation, String content) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(base + "/ai/conversations/" + conversation + "/messages"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"" + content + "\"}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Plaza answered " + response.statusCode() + ": " + new String(response.body().readAllBytes()));
        }
        return read(response, start, "event: delta", "event: done");
    }

    static Sample read(HttpResponse<InputStream> response, long start, String firstMarker, String endMarker) throws IOException {
        long first = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (first == 0 && line.startsWith(firstMarker)) {
                    first = System.nanoTime();
                }
                if (line.startsWith(endMarker)) {
                    if (endMarker.startsWith("event:")) {
                        reader.readLine(); // the done frame's data line
                    }
                    long end = System.nanoTime();
                    while (reader.readLine() != null) {
                        // drain to the end so the connection is kept alive for the next request
                    }
                    return new Sample(first - start, end - start);
                }
            }
        }
        throw new IllegalStateException("stream ended without " + endMarker);
    }

    /**
     * The fake provider: chunk i goes out TOKEN_MS * (i + 1) after the request arrived (a fixed
     * schedule, so a late wake-up does not push every later chunk back), on platform threads.
     */
    static HttpServer fakeUpstream() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory()));
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                long arrived = System.nanoTime();
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < TOKENS; i++) {
                    sleepUntil(arrived + (i + 1) * TOKEN_MS * 1_000_000L);
                    out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok"
                               + i + " \"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                           + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":"
                           + TOKENS + ",\"total_tokens\":" + (42 + TOKENS) + "}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        });
        server.start();
        return server;
    }

    static void sleepUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    static long pct(List<Sample> samples, boolean ttft, int p) {
        List<Long> values = new ArrayList<>();
        synchronized (samples) {
            for (Sample s : samples) {
                values.add(ttft ? s.ttftNanos() : s.totalNanos());
            }
        }
        Collections.sort(values);
        int index = (int) Math.ceil(p / 100.0 * values.size()) - 1;
        return values.get(Math.max(0, Math.min(values.size() - 1, index)));
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static void report(String label, List<Sample> samples) {
        System.out.printf("%-20s n=%d  first token p50 %.2f ms p99 %.2f ms | whole reply p50 %.2f ms p99 %.2f ms%n", label, samples.size(),
                          ms(pct(samples, true, 50)), ms(pct(samples, true, 99)), ms(pct(samples, false, 50)), ms(pct(samples, false, 99)));
    }
}
