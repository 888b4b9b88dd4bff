package plaza.recipe;

import plaza.testing.JsonApi;

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
import plaza.testing.EmbeddedDatabases;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/** {@code recipe.demo-data: true} loads every shipped recipe through the import. */
@ServerTest
class DemoRecipesTest {

    private final JsonApi api;

    DemoRecipesTest(Http1Client client) {
        this.api = new JsonApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = PlazaConfig.override(EmbeddedDatabases.config(Database.Vendor.MARIADB, "recipe", Config.empty()),
                                             Map.of("server.port", "0", "recipe.demo-data", "true", "plaza.access-log.enabled", "false",
                                                    "recipe.catalog-url", "http://127.0.0.1:9"));
        Database db = Database.open(config.get("db"), "recipe");
        PlazaServer.configure(server, config, List.of(RecipeService.create(config, db, TestTokens.create().verifier())));
    }

    @Test
    void everyDemoRecipeIsLoaded() {
        assertThat(api.get("/recipes").body().get("total").asInt(), greaterThanOrEqualTo(100));
        assertThat(api.get("/recipes", "q", "김치찌개").body().get("items").get(0).get("title").asText(), is("김치찌개"));
        JsonApi.Response cook = api.get("/recipes/by-ingredients", "have", "계란,대파,두부");
        assertThat(cook.body().get("total").asInt(), greaterThan(10));
        assertThat(cook.body().get("items").get(0).get("coverage").asDouble(), greaterThan(0.5));
    }
}
