package plaza.chat;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.security.TokenVerifier;
import plaza.testing.EmbeddedDatabases;

/** A chat replica on a random port (several may share one database, as replicas do). */
final class ChatTestServer implements AutoCloseable {

    static final String ALLOWED_ORIGIN = "https://app.example";

    final WebServer server;
    final ChatService chat;
    final Database db;

    private ChatTestServer(WebServer server, ChatService chat, Database db) {
        this.server = server;
        this.chat = chat;
        this.db = db;
    }

    /** Config with a fresh database and test-friendly settings, {@code overrides} on top. */
    static Config config(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("plaza.access-log.enabled", "false");
        values.put("cors.allowed-origins", ALLOWED_ORIGIN);
        values.putAll(overrides);
        return EmbeddedDatabases.config(Database.Vendor.POSTGRESQL, "chat", PlazaConfig.override(Config.empty(), values));
    }

    static ChatTestServer start(Config config, TokenVerifier tokens) {
        Database db = Database.open(config.get("db"), "chat");
        ChatService chat = ChatService.create(config, db, tokens);
        WebServerConfig.Builder builder = WebServer.builder();
        PlazaServer.configure(builder, config, List.of(chat));
        WebServer server = builder.build().start();
        return new ChatTestServer(server, chat, db);
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/chat/ws");
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        chat.close();
        server.stop();
    }
}
