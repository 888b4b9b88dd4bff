package plaza.platform.openapi;

import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Platform's own part of the description (META-INF/openapi/plaza.yaml): every path it describes is answered by a
 * server with no service (services add theirs, checked by each one's ApiDescriptionTest). Bad input tried: an
 * unknown ?format=.
 */
@ServerTest
class BaseDescriptionTest {

    private final Http1Client client;

    BaseDescriptionTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        PlazaServer.configure(server, PlazaConfig.override(Config.empty(), Map.of("plaza.access-log.enabled", "false")), List.of());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDescribedPathIsServed() {
        Map<String, Object> paths = (Map<String, Object>) ApiDescriptions.merged(List.of()).get("paths");
        assertThat(paths.isEmpty(), is(false));
        for (Map.Entry<String, Object> path : paths.entrySet()) {
            assertThat(path.getKey(), ((Map<String, Object>) path.getValue()).keySet(), is(java.util.Set.of("get")));
            try (Http1ClientResponse res = client.get(path.getKey()).queryParam("q", "x").request()) {
                assertThat(path.getKey(), res.status().code(), is(200));
            }
        }
    }

    @Test
    void servesYamlAndJson() {
        try (Http1ClientResponse res = client.get("/openapi").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.as(String.class), startsWith("openapi: 3.1.0"));
        }
        try (Http1ClientResponse res = client.get("/openapi").header(HeaderNames.ACCEPT, "application/json").request()) {
            assertThat(res.headers().contentType().orElseThrow().text(), containsString("json"));
            assertThat(res.as(String.class), containsString("\"openapi\" : \"3.1.0\""));
        }
        try (Http1ClientResponse res = client.get("/openapi").queryParam("format", "toml").request()) {
            assertThat(res.status(), is(Status.BAD_REQUEST_400));
            assertThat(res.headers().contentType().orElseThrow().text(), containsString("problem+json"));
        }
    }
}
