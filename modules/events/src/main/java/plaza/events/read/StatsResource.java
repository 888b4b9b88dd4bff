package plaza.events.read;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.events.store.EventRepository;
import plaza.platform.http.Json;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.security.TokenVerifier;

/**
 * {@code GET /events/stats?from=&to=&event=&interval=hour|day} (admins): per hour or day, how often
 * each event happened and how many distinct users (or anonymous ids) did it. Defaults: the last 7
 * days by day; at most 31 days by hour and 400 by day.
 */
public final class StatsResource implements HttpService {

    private final EventRepository events;
    private final TokenVerifier tokens;
    private final Clock clock;

    public StatsResource(EventRepository events, TokenVerifier tokens, Clock clock) {
        this.events = events;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", tokens.requireRole("admin", this::stats))
                .any("/", Problems.methodNotAllowed("GET"));
    }

    private void stats(ServerRequest req, ServerResponse res) {
        String interval = QueryParams.string(req, "interval", 10).orElse("day");
        if (!interval.equals("hour") && !interval.equals("day")) {
            throw QueryParams.invalid("interval", "must be hour or day");
        }
        Instant to = ReadParams.time(req, "to").orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.MICROS));
        Instant from = ReadParams.time(req, "from").orElse(to.minus(Duration.ofDays(7)));
        if (!from.isBefore(to)) {
            throw QueryParams.invalid("from", "must be before to");
        }
        Duration longest = interval.equals("hour") ? Duration.ofDays(31) : Duration.ofDays(400);
        if (Duration.between(from, to).compareTo(longest) > 0) {
            throw QueryParams.invalid("from", "may be at most " + longest.toDays() + " days before to with interval=" + interval);
        }
        String event = QueryParams.string(req, "event", 200).orElse(null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put("interval", interval);
        body.put("buckets", events.stats(from, to, event, interval));
        Json.send(res, body);
    }
}
