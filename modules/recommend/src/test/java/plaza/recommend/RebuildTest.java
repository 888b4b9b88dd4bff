package plaza.recommend;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Method;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;
import plaza.recommend.model.Rebuilder;
import plaza.testing.JsonApi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/** Rebuilds: versions, the switch, failures, replicas, catalog outages. */
class RebuildTest {

    final Plaza plaza = Plaza.get();

    @Test
    void ordersTeachBoughtTogetherAndTwoReplicasAgreeOnTheNewVersion() {
        for (int i = 0; i < 3; i++) {
            String user = "buyer-" + UUID.randomUUID();
            plaza.track(user, "Order Completed", "{\"orderId\":\"o" + i + "\",\"products\":[{\"productId\":11},{\"productId\":420}]}");
        }
        assertThat(Plaza.within(5000, () -> {
            try {
                return plaza.replicaA.pollFeed() >= 0 && plaza.replicaB.pollFeed() >= 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }), is(true));
        long before = plaza.replicaA.servedVersion();
        Rebuilder.Result result = plaza.replicaA.rebuild();
        assertThat(result.outcome(), is(Rebuilder.Outcome.BUILT));
        assertThat(result.version(), greaterThan(before));
        // B follows within its model-poll.
        assertThat(Plaza.within(5000, () -> plaza.replicaB.servedVersion() == result.version()), is(true));
        JsonNode onA = Plaza.check(plaza.a.getAs(Plaza.ADMIN, "/recommend/model"), 200).body();
        JsonNode onB = Plaza.check(plaza.b.getAs(Plaza.ADMIN, "/recommend/model"), 200).body();
        assertThat(onA.path("servedVersion").asLong(), is(onB.path("servedVersion").asLong()));
        assertThat(onA.path("activeVersion").asLong(), is(result.version()));

        JsonNode togetherA = Plaza.check(plaza.a.get("/recommend/products/11/bought-together"), 200).body();
        JsonNode togetherB = Plaza.check(plaza.b.get("/recommend/products/11/bought-together"), 200).body();
        assertThat(Plaza.ids(togetherA, null), hasItem(420L));
        assertThat(togetherA.path("items").get(0).path("reasons").get(0).path("type").asText(), is("bought_together"));
        assertThat(Plaza.ids(togetherA, null), is(Plaza.ids(togetherB, null)));
        assertThat(togetherA.path("modelVersion").asLong(), is(togetherB.path("modelVersion").asLong()));
    }

    @Test
    void aFailedRebuildKeepsThePreviousVersionServingAndCounts() {
        // A third replica whose catalog is unreachable: its rebuild really fails.
        RecommendService broken = Plaza.service(plaza.config("http://127.0.0.1:9"));
        try {
            long served = broken.reloadModel();
            assertThat(served, greaterThan(0L));
            Counter failures = Metrics.globalRegistry().getOrCreate(Counter.builder("recommend.rebuild.failures"));
            long failedBefore = failures.count();
            Rebuilder.Result result = broken.rebuild();
            assertThat(result.outcome(), is(Rebuilder.Outcome.FAILED));
            assertThat(failures.count(), is(failedBefore + 1));
            assertThat(broken.servedVersion(), is(served));
            assertThat(plaza.replicaA.reloadModel(), is(served));
            JsonNode model = Plaza.check(plaza.a.getAs(Plaza.ADMIN, "/recommend/model"), 200).body();
            assertThat(model.path("activeVersion").asLong(), is(served));
            boolean failedListed = false;
            for (JsonNode v : model.path("versions")) {
                failedListed |= v.path("version").asLong() == result.version() && "failed".equals(v.path("state").asText());
            }
            assertThat(failedListed, is(true));
        } finally {
            broken.close();
        }
    }

    @Test
    void withCatalogDownRecommendationsAnswerFromTheLastModelFlaggedStale() {
        RecommendService cut = Plaza.service(plaza.config("http://127.0.0.1:9"));
        WebServer server = Plaza.server(plaza.recommendConfig, cut);
        try {
            cut.reloadModel();
            assertThat(cut.refreshCatalog(), is(false));
            JsonApi api = Plaza.api(server.port());
            JsonNode related = Plaza.check(api.get("/recommend/products/62/related"), 200).body();
            assertThat(related.path("stale").asBoolean(), is(true));
            assertThat(related.path("items").size(), greaterThan(0));
            JsonNode forYou = Plaza.check(api.getAs(Plaza.TOKENS.token("someone"), "/recommend/for-you"), 200).body();
            assertThat(forYou.path("stale").asBoolean(), is(true));
            assertThat(forYou.path("items").size(), greaterThan(0));
            JsonNode fresh = Plaza.check(plaza.a.get("/recommend/products/62/related"), 200).body();
            assertThat(fresh.path("stale").asBoolean(), is(false));
        } finally {
            server.stop();
            cut.close();
        }
    }

    @Test
    void anAdminCanRebuildThroughTheApi() {
        JsonNode answer = Plaza.check(plaza.b.send(Method.POST, "/recommend/model/rebuild", Plaza.ADMIN, "application/json", ""), 200).body();
        assertThat(answer.path("servedVersion").asLong(), is(answer.path("activeVersion").asLong()));
        assertThat(plaza.b.send(Method.POST, "/recommend/model/rebuild", Plaza.TOKENS.token("x"), "application/json", "").status(), is(403));
    }
}
