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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

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
 * Plaza's added latency on streamed replies: a local fake OpenAI-compatible upstream streams
 * TOKENS chunks at a fixed rate; CONCURRENCY clients stream at once, either straight from the
 * upstream or through Plaza (POST /ai/conversations/{id}/messages, SSE, with PostgreSQL, memory,
 * quota check and the saved turn). Blocks alternate between the two so both see the same noise.
 * Reports time-to-first-token and whole-reply time, p50/p99, and Plaza's added p50/p99.
 */
public final class AssistantBench {

    static final int CONCURRENCY = Integer.getInteger("concurrency", 50);
    static final int ROUNDS = Integer.getInteger("rounds", 3);
    static final int WARMUP = Integer.getInteger("warmup", 1);
    static final int PER_USER = Integer.getInteger("perUser", 5);
    static final int TOKENS = Integer.getInteger("tokens", 20);
    static final int TOKEN_MS = Integer.getInteger("tokenMs", 10);

    record Sample(long ttftNanos, long totalNanos) {
    }

    public static void main(String[] args) throws Exception {
        HttpServer upstream = fakeUpstream();
        String base = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1";
        Map<String, String> values = new HashMap<>();
        values.put("assistant.provider.base-url", base);
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
        String plazaBase = "http://127.0.0.1:" + plaza.port();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

        String token = tokens.token("bench-user");
        List<String> conversations = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(plazaBase + "/ai/conversations"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            String body = created.body();
            int at = body.indexOf("\"id\":\"") + 6;
            conversations.add(body.substring(at, body.indexOf('"', at)));
        }

        List<Sample> direct = Collections.synchronizedList(new ArrayList<>());
        List<Sample> viaPlaza = Collections.synchronizedList(new ArrayList<>());
        // Warm-up, then blocks that alternate between the two paths so both see the same machine noise.
        for (int block = 0; block < WARMUP + ROUNDS; block++) {
            boolean measured = block >= WARMUP;
            int b = block;
            runPhase(i -> directStream(client, base, "direct " + b + "/" + i), measured ? direct : null, 0);
            runPhase(i -> plazaStream(client, plazaBase, token, conversations.get(i), "via plaza " + b + "/" + i), measured ? viaPlaza : null, 1);
        }
        System.out.printf("%nAssistant streaming benchmark: %d concurrent streams, %d blocks per path (+%d warm-up) of %d replies per stream"
                          + " (first of each not counted), %d tokens at %d ms each%n", CONCURRENCY, ROUNDS, WARMUP, PER_USER, TOKENS, TOKEN_MS);
        report("direct to upstream", direct);
        report("through Plaza", viaPlaza);
        double addedTtft50 = ms(pct(viaPlaza, true, 50)) - ms(pct(direct, true, 50));
        double addedTtft99 = ms(pct(viaPlaza, true, 99)) - ms(pct(direct, true, 99));
        double addedTotal50 = ms(pct(viaPlaza, false, 50)) - ms(pct(direct, false, 50));
        double addedTotal99 = ms(pct(viaPlaza, false, 99)) - ms(pct(direct, false, 99));
        System.out.printf("Plaza adds: time-to-first-token p50 %+.2f ms, p99 %+.2f ms; whole reply p50 %+.2f ms, p99 %+.2f ms%n",
                          addedTtft50, addedTtft99, addedTotal50, addedTotal99);
        double cpuDirect = CPU_NANOS[0] / 1e6 / Math.max(1, CPU_REPLIES[0]);
        double cpuPlaza = CPU_NANOS[1] / 1e6 / Math.max(1, CPU_REPLIES[1]);
        System.out.printf("JVM CPU per reply (bench client + fake upstream%s): direct %.2f ms, through Plaza %.2f ms -> Plaza's own %.2f ms"
                          + " (PostgreSQL's backends not included)%n", "", cpuDirect, cpuPlaza, cpuPlaza - cpuDirect);
        System.out.printf("Target: added p50 < 5 ms, p99 < 20 ms (LiteLLM publishes 12 ms median overhead) -> %s%n",
                          addedTtft50 < 5 && addedTotal50 < 5 && addedTtft99 < 20 && addedTotal99 < 20 ? "MET" : "NOT MET");
        plaza.stop();
        service.close();
        upstream.stop(0);
        System.exit(0);
    }

    interface Stream {
        Sample run(int index) throws Exception;
    }

    /**
     * CONCURRENCY virtual users, each streaming PER_USER replies back to back (a closed loop, so
     * CONCURRENCY streams are open at any time); users start at random offsets within one reply's
     * duration so arrivals spread out as they do in steady traffic, not in one burst.
     */
    static final long[] CPU_NANOS = new long[2];
    static final long[] CPU_REPLIES = new long[2];

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static void runPhase(Stream stream, List<Sample> into, int path) throws InterruptedException {
        long cpu = processCpu();
        runPhase(stream, into);
        if (into != null) {
            CPU_NANOS[path] += processCpu() - cpu;
            CPU_REPLIES[path] += (long) CONCURRENCY * PER_USER;
        }
    }

    static void runPhase(Stream stream, List<Sample> into) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(CONCURRENCY);
        long spread = (long) TOKENS * TOKEN_MS;
        for (int i = 0; i < CONCURRENCY; i++) {
            int index = i;
            long offset = java.util.concurrent.ThreadLocalRandom.current().nextLong(spread + 1);
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(offset);
                    for (int n = 0; n < PER_USER; n++) {
                        Sample s = stream.run(index);
                        if (into != null && n > 0) {
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

    static HttpServer fakeUpstream() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < TOKENS; i++) {
                    Thread.sleep(TOKEN_MS);
                    out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok"
                               + i + " \"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                           + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":"
                           + TOKENS + ",\"total_tokens\":" + (42 + TOKENS) + "}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }

    static long pct(List<Sample> samples, boolean ttft, int p) {
        List<Long> values = new ArrayList<>();
        for (Sample s : samples) {
            values.add(ttft ? s.ttftNanos() : s.totalNanos());
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
