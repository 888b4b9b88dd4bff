package plaza.recipe;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import plaza.platform.http.Json;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Recipe when catalog misbehaves: nothing listens on its port, it takes seconds to answer, or it
 * answers 500. The recipe still comes back, without products and flagged, and quickly — "quickly"
 * meaning it did not wait for the slow server beyond the 300 ms timeout (the bound asserted is a
 * generous 2.5 s on a busy machine; the slow server sleeps 10 s). Also: a healthy call carries the
 * caller's trace ({@code traceparent}) and {@code Authorization}.
 */
class CatalogOutageTest {

    private static final TestTokens TOKENS = TestTokens.create();
    private static HttpServer stub;
    private static final AtomicReference<String> mode = new AtomicReference<>("ok");
    private static final AtomicReference<String> seenTraceparent = new AtomicReference<>();
    private static final AtomicReference<String> seenAuthorization = new AtomicReference<>();

    @BeforeAll
    static void startStub() throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        stub.createContext("/kok/products/by-keywords", exchange -> {
            seenTraceparent.set(exchange.getRequestHeaders().getFirst("traceparent"));
            seenAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            String m = mode.get();
            try {
                if (m.equals("slow")) {
                    Thread.sleep(10_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = m.equals("error") ? "{\"oops\":true}".getBytes(StandardCharsets.UTF_8)
                    : """
                    {"results":[{"keyword":"계란","products":[{"id":77,"name":"스텁 계란","price":5000,"salePrice":4500,"discountRate":10,"stock":3}]}]}
                    """.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(m.equals("error") ? 500 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException ignored) {
                // the client gave up waiting
            }
        });
        stub.start();
    }

    @AfterAll
    static void stopStub() {
        stub.stop(0);
    }

    /** A recipe server asking catalog at {@code catalogUrl} with a 300 ms timeout; breaker off so each call really tries. */
    private static WebServer recipeServer(String catalogUrl) {
        WebServerConfig.Builder builder = WebServer.builder();
        Fixtures.configureRecipe(builder, TOKENS, catalogUrl, Map.of("recipe.catalog-timeout", "PT0.3S",
                                                                     "recipe.catalog-failures-to-open", "0"));
        return builder.build().start();
    }

    private record Timed(int status, JsonNode body, long millis) {
    }

    private static Timed getRecipe(WebServer server, String traceparent) {
        // no client-side tracing here: it would replace the traceparent the test sends with its own
        Http1Client client = Http1Client.builder().servicesDiscoverServices(false).baseUri("http://127.0.0.1:" + server.port()).build();
        long start = System.nanoTime();
        var request = client.get("/recipes/1").header(HeaderNames.AUTHORIZATION, "Bearer " + TOKENS.token("cook"));
        if (traceparent != null) {
            request.header(HeaderNames.create("traceparent"), traceparent);
        }
        try (HttpClientResponse res = request.request()) {
            String text = res.as(String.class);
            return new Timed(res.status().code(), Json.parse(text), (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    void catalogDownPortClosedRecipeStillServedAndFlagged() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        WebServer server = recipeServer("http://127.0.0.1:" + deadPort);
        try {
            Timed r = getRecipe(server, null);
            assertThat(r.status(), is(200));
            assertThat(r.body().get("productsUnavailable").asBoolean(), is(true));
            assertThat(r.body().get("title").asText(), is("계란말이"));
            assertThat(r.body().get("ingredients").get(0).has("products"), is(false));
            assertThat(r.millis(), lessThan(2500L));
        } finally {
            server.stop();
        }
    }

    @Test
    void catalogSlowRecipeDoesNotWaitBeyondTheTimeout() {
        mode.set("slow");
        WebServer server = recipeServer("http://127.0.0.1:" + stub.getAddress().getPort());
        try {
            for (int i = 0; i < 2; i++) {
                Timed r = getRecipe(server, null);
                assertThat(r.status(), is(200));
                assertThat(r.body().get("productsUnavailable").asBoolean(), is(true));
                assertThat(r.body().get("steps").size(), is(3));
                assertThat(r.millis(), lessThan(2500L));
            }
        } finally {
            mode.set("ok");
            server.stop();
        }
    }

    @Test
    void catalogAnswering500IsTreatedAsUnavailable() {
        mode.set("error");
        WebServer server = recipeServer("http://127.0.0.1:" + stub.getAddress().getPort());
        try {
            Timed r = getRecipe(server, null);
            assertThat(r.status(), is(200));
            assertThat(r.body().get("productsUnavailable").asBoolean(), is(true));
        } finally {
            mode.set("ok");
            server.stop();
        }
    }

    @Test
    void healthyCallPropagatesTraceAndAuthorization() {
        mode.set("ok");
        WebServer server = recipeServer("http://127.0.0.1:" + stub.getAddress().getPort());
        try {
            String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
            Timed r = getRecipe(server, "00-" + traceId + "-00f067aa0ba902b7-01");
            assertThat(r.status(), is(200));
            assertThat(r.body().get("productsUnavailable").asBoolean(), is(false));
            assertThat(r.body().get("ingredients").get(0).get("products").get(0).get("name").asText(), is("스텁 계란"));
            String traceparent = seenTraceparent.get();
            assertThat(traceparent, notNullValue());
            // same trace, a new span (the client span), sampled
            assertThat(traceparent, startsWith("00-" + traceId + "-"));
            assertThat(traceparent.split("-")[2], not(is("00f067aa0ba902b7")));
            assertThat(seenAuthorization.get(), startsWith("Bearer "));
        } finally {
            server.stop();
        }
    }
}
