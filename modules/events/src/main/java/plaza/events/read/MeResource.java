package plaza.events.read;

import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.events.store.EventRepository;
import plaza.platform.http.Json;
import plaza.platform.http.Problems;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /events/me}: the signed-in user's own events, newest first (including what they did
 * anonymously before an identify linked that anonymous id), and {@code DELETE} to erase them all.
 */
public final class MeResource implements HttpService {

    private final EventRepository events;
    private final TokenVerifier tokens;

    public MeResource(EventRepository events, TokenVerifier tokens) {
        this.events = events;
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .delete("/", this::erase)
                .any("/", Problems.methodNotAllowed("GET", "DELETE"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Json.send(res, ReadParams.page(events.forUser(caller.id(), ReadParams.listQuery(req))));
    }

    private void erase(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Json.send(res, Map.of("deleted", events.erase(caller.id())));
    }
}
