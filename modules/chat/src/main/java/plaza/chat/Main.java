package plaza.chat;

import java.util.List;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.security.TokenVerifier;

/**
 * Runs the chat service alone: {@code java -jar modules/chat/target/plaza-chat.jar} (env in
 * docs/chat.md). On SIGTERM it first closes every WebSocket with 1001, then stops the server.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = PlazaConfig.load();
        Database db = Database.open(config.get("db"), "chat");
        TokenVerifier tokens = TokenVerifier.fromConfig(config.get("plaza.jwt"));
        // On SIGTERM PlazaServer closes the service first (every socket gets 1001, so clients reconnect to
        // another replica), then stops the server.
        PlazaServer.start(config, List.of(ChatService.create(config, db, tokens)));
    }
}
