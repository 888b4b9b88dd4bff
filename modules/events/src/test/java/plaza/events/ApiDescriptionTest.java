package plaza.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.testing.ApiContract;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

/**
 * events' OpenAPI description against its code: every registered route described and nothing more, every
 * example valid against its schema, swagger-parser without a message; and the server serves it at /openapi.
 * Bad input tried: an unknown ?format= (a problem, not a 5xx).
 */
@ServerTest
class ApiDescriptionTest {

    private static EventsService service;
    private final Http1Client client;

    ApiDescriptionTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = EventsApi.config(Map.of("server.port", "0"));
        service = EventsApi.service(config, TestTokens.create().verifier(),
                                    new EventsApi.TestClock(Instant.parse("2026-12-04T12:00:00Z")));
        PlazaServer.configure(server, config, List.of(service));
    }

    @AfterAll
    static void close() {
        service.close();
    }

    @Test
    void describesExactlyTheRegisteredRoutes() {
        assertThat(String.join("\n", ApiContract.check(service)), ApiContract.check(service), empty());
    }

    @Test
    void servesTheDescription() throws Exception {
        ApiContract.assertServes(client, "events", "/events/v1/batch");
    }
}
