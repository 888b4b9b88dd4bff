package plaza.events;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * With the database away (its connections cut and new ones refused), every read and erase endpoint
 * answers 503 problem+json with Retry-After, not 500; once it is back they answer again.
 */
@ServerTest
class DatabaseDownTest {

    static final TestTokens TOKENS = TestTokens.create();
    static Config config;
    static EventsService service;
    final EventsApi api;
    final String admin = TOKENS.token("root", "admin");

    DatabaseDownTest(Http1Client http) {
        this.api = new EventsApi(http);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        config = EventsApi.config(Map.of("db.pool.connection-timeout", "PT0.5S"));
        service = EventsApi.service(config, TOKENS.verifier(), Clock.systemUTC());
        PlazaServer.configure(server, config, List.of(service));
    }

    @AfterAll
    static void close() throws Exception {
        database(true);
        service.close();
    }

    @Test
    void readsAndErasesAnswer503WithRetryAfterWhileTheDatabaseIsAway() throws Exception {
        String ann = TOKENS.token("ann");
        assertThat(api.post("/events/track", ann, EventsApi.track("down-1", "Viewed", null)).status(), is(200));
        assertThat(api.get("/events/me", ann).status(), is(200));
        database(false);
        try {
            for (String path : List.of("/events/me", "/events/feed?after=0", "/events/stats", "/events/users/ann")) {
                var res = api.get(path, path.equals("/events/me") ? ann : admin);
                assertThat(path, res.status(), is(503));
                assertThat(path, res.contentType(), is("application/problem+json"));
                assertThat(path, res.header("Retry-After"), notNullValue());
                assertThat(path, res.json().path("detail").asText(), containsString("not reachable"));
            }
            var erase = api.delete("/events/me", ann);
            assertThat(erase.status(), is(503));
            assertThat(erase.header("Retry-After"), notNullValue());
        } finally {
            database(true);
        }
        // back: the pool reconnects by itself (within a few attempts)
        var back = api.get("/events/me", ann);
        for (int i = 0; i < 100 && back.status() == 503; i++) {
            Thread.sleep(100);
            back = api.get("/events/me", ann);
        }
        assertThat(back.status(), is(200));
        assertThat(back.json().path("items").size(), is(1));
    }

    /** Refuses (false) or allows connections to the service's database, cutting the ones open. */
    static void database(boolean allow) throws Exception {
        String url = config.get("db.url").asString().get();
        String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        String postgres = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
        try (Connection c = DriverManager.getConnection(postgres, config.get("db.username").asString().orElse("postgres"),
                                                        config.get("db.password").asString().orElse(""));
             Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE \"" + name + "\" WITH ALLOW_CONNECTIONS " + allow);
            if (!allow) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            }
        }
    }
}
