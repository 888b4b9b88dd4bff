package plaza.recommend;

import io.helidon.webclient.http1.Http1Client;
import org.junit.jupiter.api.Test;
import plaza.testing.ApiContract;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

/**
 * recommend's OpenAPI description against its code: every registered route described and nothing more, every
 * example valid against its schema; and the server serves it at /openapi.
 */
class ApiDescriptionTest {

    final Plaza plaza = Plaza.get();

    @Test
    void describesExactlyTheRegisteredRoutes() {
        assertThat(String.join("\n", ApiContract.check(plaza.replicaA)), ApiContract.check(plaza.replicaA), empty());
    }

    @Test
    void servesTheDescription() throws Exception {
        ApiContract.assertServes(Http1Client.builder().baseUri("http://localhost:" + plaza.serverA.port()).build(), "recommend", "/recommend/for-you");
    }
}
