package plaza.assistant;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import plaza.assistant.model.SummaryPrompts;
import plaza.platform.http.Json;

/**
 * A real HTTP server speaking the OpenAI Chat Completions streaming protocol (SSE chunks, usage in
 * the last chunk, {@code [DONE]}), scriptable per request: replies, error statuses, slow headers,
 * streams that stall half-way. Records every request body it received.
 */
final class FakeUpstream implements AutoCloseable {

    /** What the next request gets. */
    sealed interface Script permits Reply, Fail, Stall, SlowHeaders {
    }

    /** Streams {@code text} word by word; {@code usage} null sends no usage chunk. */
    record Reply(String text, int[] usage, Duration chunkDelay, String finish) implements Script {
    }

    record Fail(int status, String body, Map<String, String> headers) implements Script {
    }

    /** Streams {@code before} and then sends nothing until the server closes. */
    record Stall(String before) implements Script {
    }

    record SlowHeaders(Duration delay, Script then) implements Script {
    }

    private final HttpServer server;
    private final ConcurrentLinkedDeque<Script> scripts = new ConcurrentLinkedDeque<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger clientsGone = new java.util.concurrent.atomic.AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Duration defaultChunkDelay = Duration.ZERO;
    private volatile Duration endOfBodyDelay = Duration.ZERO;
    private volatile String defaultReply = "Fake upstream reply number %d to your message, long enough to take some room in the context window.";

    FakeUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    void enqueue(Script... next) {
        scripts.addAll(List.of(next));
    }

    /** How long a streamed reply's body stays open after {@code [DONE]} before it ends. */
    void endOfBodyDelay(Duration delay) {
        endOfBodyDelay = delay;
    }

    void defaultChunkDelay(Duration delay) {
        defaultChunkDelay = delay;
    }

    void defaultReply(String format) {
        defaultReply = format;
    }

    List<JsonNode> requests() {
        return requests;
    }

    List<JsonNode> replyRequests() {
        return requests.stream().filter(r -> !isSummary(r)).toList();
    }

    List<JsonNode> summaryRequests() {
        return requests.stream().filter(FakeUpstream::isSummary).toList();
    }

    List<String> authorizations() {
        return authorizations;
    }

    /** Requests whose answer was written to the end. */
    int answered() {
        return answered.get();
    }

    /** Requests whose client went away before the answer was written to the end (a cancelled stream). */
    int clientsGone() {
        return clientsGone.get();
    }

    /** The client-side port of each request's connection: the same port twice means a kept-alive connection. */
    List<Integer> clientPorts() {
        return clientPorts;
    }

    void reset() {
        scripts.clear();
        requests.clear();
        authorizations.clear();
        clientPorts.clear();
        defaultChunkDelay = Duration.ZERO;
        endOfBodyDelay = Duration.ZERO;
    }

    static boolean isSummary(JsonNode request) {
        return request.path("messages").path(0).path("content").asText().startsWith(SummaryPrompts.INSTRUCTION.substring(0, 40));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
            requests.add(body);
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            clientPorts.add(exchange.getRemoteAddress().getPort());
            Script script = scripts.poll();
            if (script == null) {
                script = isSummary(body)
                        ? new Reply("Summary " + summaryRequests().size() + ": the user asked several numbered questions.",
                                    new int[]{40, 12}, Duration.ZERO, "stop")
                        : new Reply(defaultReply.formatted(replyRequests().size()), new int[]{123, 45}, defaultChunkDelay, "stop");
            }
            run(exchange, script);
            answered.incrementAndGet();
        } catch (IOException e) {
            clientsGone.incrementAndGet(); // the client went away (cancel, timeout): fine
        }
    }

    private void run(HttpExchange exchange, Script script) throws IOException {
        switch (script) {
            case Fail fail -> {
                fail.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                byte[] bytes = fail.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(fail.status(), bytes.length);
                exchange.getResponseBody().write(bytes);
            }
            case SlowHeaders slow -> {
                sleep(slow.delay());
                run(exchange, slow.then());
            }
            case Stall stall -> {
                OutputStream out = start(exchange);
                for (String piece : words(stall.before())) {
                    chunk(out, piece);
                }
                try {
                    closed.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case Reply reply -> {
                OutputStream out = start(exchange);
                for (String piece : words(reply.text())) {
                    if (!reply.chunkDelay().isZero()) {
                        sleep(reply.chunkDelay());
                    }
                    chunk(out, piece);
                }
                write(out, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\""
                           + reply.finish() + "\"}]}");
                if (reply.usage() != null) {
                    write(out, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                               + reply.usage()[0] + ",\"completion_tokens\":" + reply.usage()[1] + ",\"total_tokens\":"
                               + (reply.usage()[0] + reply.usage()[1]) + "}}");
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!endOfBodyDelay.isZero()) {
                    sleep(endOfBodyDelay);
                }
            }
        }
    }

    private static OutputStream start(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static void chunk(OutputStream out, String piece) throws IOException {
        write(out, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                   + Json.write(piece) + "},\"finish_reason\":null}]}");
    }

    private static void write(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
