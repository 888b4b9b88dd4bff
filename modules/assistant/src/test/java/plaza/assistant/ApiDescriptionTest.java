package plaza.assistant;

import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.testing.ApiContract;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

/**
 * assistant's OpenAPI description against its code: every registered route described and nothing more, every
 * example valid against its schema, swagger-parser without a message; and the server serves it at /openapi.
 * Bad input tried: an unknown ?format= (a problem, not a 5xx).
 */
@ServerTest
class ApiDescriptionTest {

    private static AssistantService service;
    private final Http1Client client;

    ApiDescriptionTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = ApiClient.config(Map.of());
        service = ApiClient.service(config, TestTokens.create().verifier());
        PlazaServer.configure(server, config, List.of(service));
    }

    @Test
    void describesExactlyTheRegisteredRoutes() {
        assertThat(String.join("\n", ApiContract.check(service)), ApiContract.check(service), empty());
    }

    @Test
    void servesTheDescription() throws Exception {
        ApiContract.assertServes(client, "assistant", "/ai/conversations/{id}/messages");
    }
}
