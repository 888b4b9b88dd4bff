package plaza.recipe;

import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.testing.ApiContract;
import plaza.testing.EmbeddedDatabases;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

/**
 * recipe's OpenAPI description against its code: every registered route described and nothing more, every
 * example valid against its schema, swagger-parser without a message; and the server serves it at /openapi.
 * Bad input tried: an unknown ?format= (a problem, not a 5xx).
 */
@ServerTest
class ApiDescriptionTest {

    private static RecipeService service;
    private final Http1Client client;

    ApiDescriptionTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = PlazaConfig.override(EmbeddedDatabases.config(Database.Vendor.MARIADB, "recipe", Config.empty()),
                                             Map.of("server.port", "0", "plaza.access-log.enabled", "false",
                                                    "recipe.catalog-url", "http://127.0.0.1:9"));
        service = RecipeService.create(config, Database.open(config.get("db"), "recipe"), TestTokens.create().verifier());
        PlazaServer.configure(server, config, List.of(service));
    }

    @Test
    void describesExactlyTheRegisteredRoutes() {
        assertThat(String.join("\n", ApiContract.check(service)), ApiContract.check(service), empty());
    }

    @Test
    void servesTheDescription() throws Exception {
        ApiContract.assertServes(client, "recipe", "/recipes/by-ingredients");
    }
}
