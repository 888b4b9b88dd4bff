package plaza.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static plaza.auth.AuthFixture.PASSWORD;
import static plaza.auth.AuthFixture.body;
import static plaza.auth.AuthFixture.email;
import static plaza.auth.AuthFixture.post;
import static plaza.auth.AuthFixture.register;

/**
 * Parallel writes to one account's failure record on the real MariaDB. Bad input tried: 20 wrong passwords
 * for one account (and for one address without an account) sent at the same instant — they used to
 * deadlock on the lockout row's gap lock (SELECT … FOR UPDATE of a missing row, then INSERT), a 500.
 */
@ServerTest
class ParallelLoginTest {

    private static final int PARALLEL = 20;
    private final Http1Client client;

    ParallelLoginTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        AuthFixture.setUp(server, AuthFixture.config(Map.of("auth.lockout.threshold", "5", "auth.lockout.base-delay", "PT1S")));
    }

    @Test
    void parallelWrongPasswordsOfOneAccountAre401Or429() throws Exception {
        // Fresh accounts each round: the race is worst when no failure row exists yet.
        for (int round = 0; round < 3; round++) {
            String email = email("parallel");
            register(client, email, PASSWORD);
            assertThat(statuses(email), everyItem(anyOf(is(Status.UNAUTHORIZED_401), is(Status.TOO_MANY_REQUESTS_429))));
            assertThat(statuses(email("nobody")), everyItem(anyOf(is(Status.UNAUTHORIZED_401), is(Status.TOO_MANY_REQUESTS_429))));
        }
    }

    private List<Status> statuses(String email) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AuthFixture.Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL)) {
            for (int i = 0; i < PARALLEL; i++) {
                String password = "wrong-guess-" + i;
                replies.add(pool.submit(() -> {
                    start.await();
                    return post(client, "/auth/login", body(Map.of("email", email, "password", password)));
                }));
            }
            start.countDown();
            List<Status> statuses = new ArrayList<>();
            for (Future<AuthFixture.Reply> reply : replies) {
                AuthFixture.Reply r = reply.get();
                assertThat(r.body(), r.status().code() < 500, is(true));
                statuses.add(r.status());
            }
            return statuses;
        }
    }
}
