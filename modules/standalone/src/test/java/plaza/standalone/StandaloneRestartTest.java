package plaza.standalone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Standalone keeps its data: rows written into its embedded PostgreSQL and MariaDB are still there
 * after the whole process (server, services, both database servers) stops and starts again on the
 * same data directory; an event stored before the restart is there after it, once, however often it is retried.
 */
class StandaloneRestartTest {

    @Test
    void dataSurvivesARestart() throws Exception {
        Path data = Files.createTempDirectory("plaza-standalone-data");
        Config config = PlazaConfig.override(Config.create(), Map.of(
                "standalone.data-dir", data.toString(), "server.port", "0", "plaza.access-log.enabled", "false"));

        try (Standalone plaza = Standalone.start(config)) {
            assertThat(ready(plaza), is(200));
            for (Database.Vendor vendor : Database.Vendor.values()) {
                try (Database db = plaza.databases().open(vendor, "probe");
                     Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO probe_items(name, qty) VALUES ('kept across restarts', 7)");
                }
            }
            assertThat(anonymousTrack(plaza), is(200));
        }

        try (Standalone plaza = Standalone.start(config)) {
            assertThat(ready(plaza), is(200));
            for (Database.Vendor vendor : Database.Vendor.values()) {
                try (Database db = plaza.databases().open(vendor, "probe");
                     Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT name, qty FROM probe_items")) {
                    assertThat(vendor + " has the row", rs.next(), is(true));
                    assertThat(rs.getString(1), is("kept across restarts"));
                    assertThat(rs.getInt(2), is(7));
                    assertThat(vendor + " has exactly one row", rs.next(), is(false));
                }
            }
            // The event of the first run is still stored, and its retry after the restart is not stored again.
            assertThat(anonymousTrack(plaza), is(200));
            try (Database db = plaza.databases().open(Database.Vendor.POSTGRESQL, "events");
                 Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM events WHERE message_id = 'restart-1'")) {
                rs.next();
                assertThat(rs.getInt(1), is(1));
            }
        }
    }

    private static int anonymousTrack(Standalone plaza) {
        try (var res = Http1Client.builder().baseUri("http://localhost:" + plaza.port()).build()
                .post("/events/track").header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"messageId\":\"restart-1\",\"anonymousId\":\"a-1\",\"event\":\"Kept\"}")) {
            return res.status().code();
        }
    }

    /**
     * Readiness, waited for up to 30 s: some checks turn UP a moment after start (catalog's search index loads
     * off-thread), as a Kubernetes readiness probe would see it.
     */
    private static int ready(Standalone plaza) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            try (var res = Http1Client.builder().baseUri("http://localhost:" + plaza.port()).build()
                    .get("/observe/health/ready").request()) {
                if (res.status().code() == 200 || System.nanoTime() > deadline) {
                    return res.status().code();
                }
            }
            Thread.sleep(100);
        }
    }
}
