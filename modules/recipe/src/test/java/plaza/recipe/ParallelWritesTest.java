package plaza.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.testing.JsonApi;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Parallel admin writes on the real MariaDB. Bad input tried: 10 recipe creates at the same instant
 * (they deadlocked on the gap locks of the DELETEs of a new recipe's missing child rows, 8 of 10 a
 * 500), and 8 JSON Lines imports at once, of new recipes and of the same five ids (a deadlock inside a batch then failed the row's
 * "ROLLBACK TO SAVEPOINT", whose savepoint the aborted transaction had taken with it: a 500).
 */
@ServerTest
class ParallelWritesTest {

    private static final TestTokens TOKENS = TestTokens.create();
    private static final String RECIPE = """
            {"title":"병렬 %s","minutes":15,"difficulty":"easy","ingredients":[{"name":"대파","quantity":"5대"},{"name":"부침가루"}],\
            "steps":["반죽한다.","부친다."],"tags":["병렬","%s"]}""";
    private static WebServer catalog;
    private final JsonApi api;

    ParallelWritesTest(Http1Client client) {
        this.api = new JsonApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        catalog = Fixtures.startCatalog(TOKENS);
        Fixtures.configureRecipe(server, TOKENS, "http://127.0.0.1:" + catalog.port(), Map.of());
    }

    @AfterAll
    static void stopCatalog() {
        catalog.stop();
    }

    @Test
    void parallelCreatesAreAll201() throws Exception {
        String admin = TOKENS.token("a1", "admin");
        List<JsonApi.Response> replies = inParallel(10, i -> api.send(Method.POST, "/recipes", admin, "application/json",
                                                                      RECIPE.formatted("c" + i, "create")));
        for (JsonApi.Response r : replies) {
            assertThat(r.text(), r.status(), is(201));
        }
        assertThat(api.get("/recipes", "tag", "create", "size", "50").body().get("total").asInt(), is(10));
    }

    @Test
    void parallelImportsAllAnswer200AndWriteEveryRow() throws Exception {
        String admin = TOKENS.token("a1", "admin");
        List<JsonApi.Response> replies = inParallel(8, i -> {
            StringBuilder lines = new StringBuilder();
            for (int row = 0; row < 5; row++) {
                lines.append(RECIPE.formatted("i" + i + "-" + row, "import")).append('\n');
            }
            return api.send(Method.POST, "/recipes/import", admin, "application/x-ndjson", lines.toString());
        });
        for (JsonApi.Response r : replies) {
            assertThat(r.text(), r.status(), is(200));
            assertThat(r.text(), r.body().get("imported").asInt(), is(5));
        }
        assertThat(api.get("/recipes", "tag", "import", "size", "50").body().get("total").asInt(), is(40));
    }

    @Test
    void parallelImportsReplacingTheSameRecipesAllAnswer200() throws Exception {
        // the same five ids in every import: each batch deletes and rewrites the same child rows
        String admin = TOKENS.token("a1", "admin");
        List<JsonApi.Response> replies = inParallel(8, i -> {
            StringBuilder lines = new StringBuilder();
            for (int row = 0; row < 5; row++) {
                lines.append("{\"id\":").append(700 + row).append(',')
                        .append(RECIPE.formatted("r" + i + "-" + row, "replace").substring(1)).append('\n');
            }
            return api.send(Method.POST, "/recipes/import", admin, "application/x-ndjson", lines.toString());
        });
        for (JsonApi.Response r : replies) {
            assertThat(r.text(), r.status(), is(200));
            assertThat(r.text(), r.body().get("imported").asInt(), is(5));
        }
        assertThat(api.get("/recipes", "tag", "replace", "size", "50").body().get("total").asInt(), is(5));
        assertThat(api.get("/recipes/700").body().get("ingredients").size(), is(2));
    }

    interface Call {
        JsonApi.Response run(int i) throws Exception;
    }

    /** Runs {@code n} calls released at the same instant; answers their responses in order. */
    private static List<JsonApi.Response> inParallel(int n, Call call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<JsonApi.Response>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<JsonApi.Response> task = () -> {
                    start.await();
                    return call.run(index);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<JsonApi.Response> replies = new ArrayList<>();
            for (Future<JsonApi.Response> f : futures) {
                replies.add(f.get());
            }
            return replies;
        }
    }
}
