package plaza.recipe;

import java.util.List;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.security.TokenVerifier;

/** Runs the recipe service alone: {@code java -jar plaza-recipe.jar} (env DB_URL, PLAZA_JWT_JWKS_URI, RECIPE_CATALOG_URL, …). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = PlazaConfig.load();
        Database db = Database.open(config.get("db"), "recipe");
        TokenVerifier tokens = TokenVerifier.fromConfig(config.get("plaza.jwt"));
        PlazaServer.start(config, List.of(RecipeService.create(config, db, tokens)));
    }
}
