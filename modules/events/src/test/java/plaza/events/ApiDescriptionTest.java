package plaza.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.openapi.ApiDescriptions;
import plaza.testing.ApiContract;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

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
        try (Http1ClientResponse res = client.get("/openapi").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.as(String.class), containsString("/events/v1/batch:"));
        }
        try (Http1ClientResponse res = client.get("/openapi/events").queryParam("format", "json").request()) {
            assertThat(res.status(), is(Status.OK_200));
            JsonNode served = new ObjectMapper().readTree(res.as(String.class));
            assertEquals(new ObjectMapper().valueToTree(ApiDescriptions.merged(List.of("events"))), served);
        }
        try (Http1ClientResponse res = client.get("/openapi").queryParam("format", "xml").request()) {
            assertThat(res.status(), is(Status.BAD_REQUEST_400));
            assertThat(res.headers().contentType().orElseThrow().text(), containsString("application/problem+json"));
        }
    }
}
