package plaza.recommend;

import java.util.List;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.security.TokenVerifier;

/** Runs the recommend service on its own: {@code java -jar plaza-recommend.jar}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = PlazaConfig.load();
        Database db = Database.open(config.get("db"), "recommend");
        TokenVerifier tokens = TokenVerifier.fromConfig(config.get("plaza.jwt"));
        PlazaServer.start(config, List.of(RecommendService.create(config, db, tokens)));
    }
}
