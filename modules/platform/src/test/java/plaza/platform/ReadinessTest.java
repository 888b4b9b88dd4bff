package plaza.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.embedded.EmbeddedPostgresServer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Readiness follows the database: DOWN while it is stopped, UP again after it restarts, no service restart. */
class ReadinessTest {

    @Test
    void readinessFollowsTheDatabase() throws Exception {
        Path data = Files.createTempDirectory("plaza-readiness-pg");
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data, 0);
        int port = pg.port();
        Config config = PlazaConfig.override(Config.empty(), Map.of(
                "db.url", pg.database("ready_probe"), "db.username", pg.username(), "db.password", pg.password(),
                "server.port", "0", "plaza.access-log.enabled", "false"));
        Database db = Database.open(config.get("db"), "probe");
        WebServer server = PlazaServer.start(config, List.of(new ProbeService(db)));
        Http1Client client = Http1Client.builder().baseUri("http://localhost:" + server.port()).build();
        try {
            assertThat(readyStatus(client), is(200));

            pg.close();
            assertThat(readyStatus(client), is(503));
            try (var res = client.get("/observe/health/ready").request()) {
                assertThat(res.as(String.class), containsString("\"status\":\"DOWN\""));
            }

            pg = EmbeddedPostgresServer.start(data, port);
            int status = 0;
            for (int i = 0; i < 50 && status != 200; i++) {
                status = readyStatus(client);
                if (status != 200) {
                    Thread.sleep(200);
                }
            }
            assertThat(status, is(200));
            // and the pool serves real queries again
            try (var res = client.post("/probe/items").header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json")
                    .submit("{\"name\":\"after restart\",\"qty\":1}")) {
                assertThat(res.status().code(), is(201));
            }
        } finally {
            server.stop();
            db.close();
            pg.close();
        }
    }

    private static int readyStatus(Http1Client client) {
        try (var res = client.get("/observe/health/ready").request()) {
            return res.status().code();
        }
    }
}
