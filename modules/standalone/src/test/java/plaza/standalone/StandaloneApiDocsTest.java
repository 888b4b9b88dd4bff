package plaza.standalone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;
import plaza.platform.openapi.ApiDescriptions;
import plaza.testing.ApiContract;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Standalone serves the merged description of every service at /openapi (it lints clean: swagger-parser, every
 * example against its schema, unique operationIds), each service's at /openapi/<service>, and Swagger UI at /docs
 * with no inline script under a CSP that forbids one. Bad input tried: a file outside the page's list, a path
 * escaping /docs (../), a wrong method.
 */
class StandaloneApiDocsTest {

    private static final List<String> SERVICES = List.of("auth", "chat", "assistant", "catalog", "recipe", "events", "recommend");

    @Test
    void servesMergedDescriptionsAndSwaggerUi() throws Exception {
        Path data = Files.createTempDirectory("plaza-standalone-docs");
        Config config = PlazaConfig.override(Config.empty(), Map.of(
                "server.port", "0", "server.host", "127.0.0.1",
                "standalone.data-dir", data.toString(),
                "plaza.access-log.enabled", "false"));
        try (Standalone plaza = Standalone.start(config)) {
            Http1Client client = Http1Client.builder().baseUri("http://127.0.0.1:" + plaza.port()).build();
            ObjectMapper json = new ObjectMapper();

            Map<String, Object> merged = ApiDescriptions.merged(SERVICES);
            assertThat(String.join("\n", ApiContract.lint(merged)), ApiContract.lint(merged), empty());
            try (Http1ClientResponse res = client.get("/openapi").header(HeaderNames.ACCEPT, "application/json").request()) {
                assertThat(res.status(), is(Status.OK_200));
                assertEquals(json.valueToTree(merged), json.readTree(res.as(String.class)));
            }
            for (String service : SERVICES) {
                try (Http1ClientResponse res = client.get("/openapi/" + service).request()) {
                    assertThat(service, res.status(), is(Status.OK_200));
                    assertThat(res.as(String.class), containsString("title: Plaza " + service));
                }
            }

            try (Http1ClientResponse res = client.get("/docs").request()) {
                assertThat(res.status(), is(Status.OK_200));
                String csp = res.headers().first(HeaderNames.create("Content-Security-Policy")).orElse("");
                assertThat(csp, containsString("script-src 'self'"));
                assertThat(csp, not(containsString("unsafe-inline'; connect")));
                String html = res.as(String.class);
                assertThat(html, containsString("<script src=\"/docs/swagger-initializer.js\"></script>"));
                assertThat("no inline script", html.replaceAll("<script src=\"[^\"]+\"></script>", ""), not(containsString("<script")));
                for (String asyncApi : List.of("/asyncapi/chat", "/asyncapi/assistant")) {
                    assertThat(html, containsString("href=\"" + asyncApi + "\""));
                    try (Http1ClientResponse doc = client.get(asyncApi).request()) {
                        assertThat(asyncApi, doc.status(), is(Status.OK_200));
                        assertThat(doc.as(String.class), containsString("asyncapi: 3.0.0"));
                    }
                }
            }
            for (String file : List.of("swagger-initializer.js", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css")) {
                try (Http1ClientResponse res = client.get("/docs/" + file).request()) {
                    assertThat(file, res.status(), is(Status.OK_200));
                }
            }
            try (Http1ClientResponse res = client.get("/docs/swagger-initializer.js").request()) {
                assertThat(res.as(String.class), containsString("/openapi?format=json"));
            }
            for (String bad : List.of("/docs/oauth2-redirect.html", "/docs/..%2Fapplication.yaml", "/docs/../application.yaml")) {
                try (Http1ClientResponse res = client.get(bad).request()) {
                    assertThat(bad, res.status(), is(Status.NOT_FOUND_404));
                    assertThat(res.headers().contentType().orElseThrow().text(), containsString("problem+json"));
                }
            }
            try (Http1ClientResponse res = client.post("/docs").request()) {
                assertThat(res.status(), is(Status.METHOD_NOT_ALLOWED_405));
            }
        }
    }
}
