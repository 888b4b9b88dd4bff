package plaza.auth;

import java.util.List;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;

/** Runs the auth service alone: {@code java -jar plaza-auth.jar} with {@code DB_URL} and a signing key. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = PlazaConfig.load();
        Database db = Database.open(config.get("db"), "auth");
        PlazaServer.start(config, List.of(AuthService.create(config, db)));
    }
}
