package plaza.events.read;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.events.store.EventRepository;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * {@code GET /events/feed?after=&limit=}: every stored event in commit order, for other services
 * (recommend). Each event has a feed number {@code seq}; numbers follow commit order across all
 * replicas (they are taken under one row lock held to the commit), so a consumer that stores the
 * {@code next} it was given and asks {@code after=next} after a restart misses nothing and sees nothing
 * twice. For admins and for services (an OAuth client-credentials token from auth's token endpoint: how
 * recommend reads it).
 */
public final class FeedResource implements HttpService {

    private final EventRepository events;
    private final TokenVerifier tokens;

    public FeedResource(EventRepository events, TokenVerifier tokens) {
        this.events = events;
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::authorized)
                .any("/", Problems.methodNotAllowed("GET"));
    }

    private void authorized(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        if (!caller.isService() && !caller.hasRole("admin")) {
            throw ProblemException.forbidden("The feed is for services (a client-credentials token) and admins.");
        }
        feed(req, res);
    }

    private void feed(ServerRequest req, ServerResponse res) {
        long after = QueryParams.longValue(req, "after", 0, Long.MAX_VALUE).orElse(0L);
        int limit = QueryParams.integer(req, "limit", 100, 1, 1000);
        List<Map<String, Object>> items = events.feed(after, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("next", items.isEmpty() ? String.valueOf(after) : String.valueOf(items.getLast().get("seq")));
        Json.send(res, body);
    }
}
