package plaza.assistant;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.assistant.model.Cancellation;
import plaza.assistant.model.ChatMessage;
import plaza.assistant.model.ModelException;
import plaza.assistant.model.ModelRequest;
import plaza.assistant.model.ModelResult;
import plaza.assistant.model.OpenAiCompatibleModel;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The provider client on its own: refused connections, and a cancel while the provider has not answered yet. */
class ProviderClientTest {

    static final FakeUpstream UPSTREAM = new FakeUpstream();
    static final ModelRequest REQUEST = new ModelRequest("fake-model", List.of(ChatMessage.user("hi")), ModelRequest.Purpose.REPLY);

    @AfterAll
    static void close() {
        UPSTREAM.close();
    }

    static OpenAiCompatibleModel model(String baseUrl) {
        return new OpenAiCompatibleModel(new OpenAiCompatibleModel.Settings(URI.create(baseUrl), null, Duration.ofSeconds(2),
                                                                            Duration.ofSeconds(10), Duration.ofSeconds(10), 1,
                                                                            Duration.ofMillis(10), Duration.ofSeconds(1), true, 0));
    }

    @Test
    void aRefusedConnectionIsRetriedThenAnUpstreamFailure() {
        try (OpenAiCompatibleModel model = model("http://127.0.0.1:1/v1")) { // nothing listens on port 1
            ModelException e = assertThrows(ModelException.class, () -> model.stream(REQUEST, d -> { }, new Cancellation()));
            assertThat(e.kind(), is(ModelException.Kind.UPSTREAM));
            assertThat(e.getMessage(), containsString("connection refused"));
        }
    }

    @Test
    void aCancelBeforeTheProviderAnswersReturnsAtOnceAndCutsTheCall() throws Exception {
        UPSTREAM.reset();
        UPSTREAM.enqueue(new FakeUpstream.SlowHeaders(Duration.ofMillis(800),
                                                      new FakeUpstream.Reply("a b c d e f g h", new int[]{1, 1}, Duration.ofMillis(200), "stop")));
        int goneBefore = UPSTREAM.clientsGone();
        try (OpenAiCompatibleModel model = model(UPSTREAM.baseUrl())) {
            Cancellation cancellation = new Cancellation();
            CompletableFuture<ModelResult> result = CompletableFuture.supplyAsync(() -> model.stream(REQUEST, d -> { }, cancellation));
            Thread.sleep(200); // the request is out, the provider has not answered
            long cancelled = System.nanoTime();
            cancellation.cancel();
            ModelResult r = result.get(5, TimeUnit.SECONDS);
            assertThat(r.cancelled(), is(true));
            assertThat(System.nanoTime() - cancelled < Duration.ofMillis(500).toNanos(), is(true)); // not after the provider's headers
            // when the provider does answer, its stream is cut (its client is gone), not read to the end
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (UPSTREAM.clientsGone() == goneBefore && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(UPSTREAM.clientsGone(), is(goneBefore + 1));
        }
    }
}
