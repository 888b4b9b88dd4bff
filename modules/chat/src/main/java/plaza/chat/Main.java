package plaza.chat;

import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
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
        // Helidon's own shutdown hook would cut the sockets while ours says goodbye; ours stops the server after.
        Config config = PlazaConfig.override(PlazaConfig.load(), Map.of("server.shutdown-hook", "false"));
        Database db = Database.open(config.get("db"), "chat");
        TokenVerifier tokens = TokenVerifier.fromConfig(config.get("plaza.jwt"));
        ChatService chat = ChatService.create(config, db, tokens);
        WebServer server = PlazaServer.start(config, List.of(chat));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            chat.close();   // every socket gets 1001 first, so clients reconnect to another replica
            server.stop();
        }, "chat-stop"));
    }
}
