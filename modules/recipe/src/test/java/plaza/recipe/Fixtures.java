package plaza.recipe;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import plaza.catalog.CatalogService;
import plaza.catalog.products.ProductRepository;
import plaza.catalog.products.ProductResource;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.imports.ImportReport;
import plaza.recipe.recipes.RecipeRepository;
import plaza.recipe.recipes.RecipeResource;
import plaza.testing.EmbeddedDatabases;
import plaza.testing.TestTokens;

/** Servers and data the recipe tests share: a real catalog with a few products, and five recipes. */
final class Fixtures {

    static final String PRODUCTS = """
            {"id":1,"name":"무항생제 계란 30구","category":"정육/계란","price":9900,"salePrice":8900,"stock":30,"reviewCount":900,"keywords":["계란","달걀"]}
            {"id":2,"name":"국산 대파 1단","category":"채소","price":3500,"salePrice":2900,"stock":100,"reviewCount":500,"keywords":["대파"]}
            {"id":3,"name":"부침두부 300g","category":"두부/콩","price":2500,"stock":50,"reviewCount":300,"keywords":["두부"]}
            {"id":4,"name":"포기김치 1kg","category":"김치/반찬","price":12000,"salePrice":9900,"stock":10,"reviewCount":700,"keywords":["김치"]}
            {"id":5,"name":"돼지고기 앞다리살 500g","category":"정육/계란","price":11000,"stock":8,"reviewCount":200,"keywords":["돼지고기","제육용"]}
            {"id":6,"name":"천일염 1kg","category":"양념/소스","price":5000,"stock":8,"reviewCount":100,"keywords":["소금"]}
            """;

    /** have=계란,대파,두부 ranks them 1 (2/2), 4 (2/3), 2 (2/4), 3 (2/4), 5 (1/4). */
    static final String RECIPES = """
            {"id":1,"title":"계란말이","summary":"폭신한 기본 반찬","servings":2,"minutes":10,"difficulty":"easy","ingredients":[{"name":"계란","quantity":"3개"},{"name":"대파","quantity":"1/4대"},{"name":"소금","quantity":"약간","optional":true}],"steps":["계란을 푼다.","대파를 다져 넣는다.","약불에서 말아 익힌다."],"tags":["반찬","초간단"]}
            {"id":2,"title":"두부조림","servings":2,"minutes":20,"difficulty":"easy","ingredients":[{"name":"두부","quantity":"1모"},{"name":"대파","quantity":"1대"},{"name":"간장","quantity":"3큰술"},{"name":"고춧가루","quantity":"1큰술"}],"steps":["두부를 썬다.","양념과 졸인다."],"tags":["반찬"]}
            {"id":3,"title":"김치찌개","servings":3,"minutes":30,"difficulty":"medium","ingredients":[{"name":"김치","quantity":"1/4포기"},{"name":"돼지고기","quantity":"200g"},{"name":"두부","quantity":"1/2모"},{"name":"대파","quantity":"1대"}],"steps":["돼지고기와 김치를 볶는다.","물을 붓고 끓인다.","두부와 대파를 넣는다."],"tags":["찌개"]}
            {"id":4,"title":"계란국","servings":2,"minutes":10,"difficulty":"easy","ingredients":[{"name":"계란","quantity":"2개"},{"name":"대파","quantity":"1/2대"},{"name":"다시마","quantity":"1장"},{"name":"국간장","quantity":"1큰술","optional":true}],"steps":["다시마 육수를 낸다.","계란을 풀어 넣는다."],"tags":["국","초간단"]}
            {"id":5,"title":"제육볶음","servings":2,"minutes":25,"difficulty":"medium","ingredients":[{"name":"돼지고기","quantity":"300g"},{"name":"양파","quantity":"1/2개"},{"name":"고추장","quantity":"2큰술"},{"name":"대파","quantity":"1대"}],"steps":["양념에 재운다.","센불에 볶는다."],"tags":["메인"]}
            """;

    private Fixtures() {
    }

    /** Starts a catalog server on a random port with {@link #PRODUCTS}. */
    static WebServer startCatalog(TestTokens tokens) {
        Config config = PlazaConfig.override(EmbeddedDatabases.config(Database.Vendor.MARIADB, "catalog", Config.empty()),
                                             Map.of("server.port", "0", "plaza.access-log.enabled", "false"));
        Database db = Database.open(config.get("db"), "catalog");
        ImportReport report = ProductResource.importer(db.dataSource(), new ProductRepository(db.dataSource(), Clock.systemUTC()))
                .run(new ByteArrayInputStream(PRODUCTS.getBytes(StandardCharsets.UTF_8)));
        check(report);
        WebServerConfig.Builder builder = WebServer.builder();
        PlazaServer.configure(builder, config, List.of(CatalogService.create(config, db, tokens.verifier())));
        return builder.build().start();
    }

    /** Configures {@code server} as a recipe service with {@link #RECIPES}, asking catalog at {@code catalogUrl}. */
    static void configureRecipe(WebServerConfig.Builder server, TestTokens tokens, String catalogUrl, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("server.port", "0", "plaza.access-log.enabled", "false",
                                                          "recipe.catalog-url", catalogUrl));
        values.putAll(extra);
        Config config = PlazaConfig.override(EmbeddedDatabases.config(Database.Vendor.MARIADB, "recipe", Config.empty()), values);
        Database db = Database.open(config.get("db"), "recipe");
        check(RecipeResource.importer(db.dataSource(), new RecipeRepository(db.dataSource(), Clock.systemUTC()))
                      .run(new ByteArrayInputStream(RECIPES.getBytes(StandardCharsets.UTF_8))));
        PlazaServer.configure(server, config, List.of(RecipeService.create(config, db, tokens.verifier())));
    }

    private static void check(ImportReport report) {
        if (report.failed() > 0) {
            throw new IllegalStateException("Fixture rows refused: " + report.errors());
        }
    }
}
