package plaza.events.read;

import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.events.store.EventRepository;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /events/users/{id}} (admins): one user's events, as {@code /events/me} lists them, and
 * {@code DELETE} to erase them (what auth calls when an account is deleted).
 */
public final class UserResource implements HttpService {

    private final EventRepository events;
    private final TokenVerifier tokens;

    public UserResource(EventRepository events, TokenVerifier tokens) {
        this.events = events;
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}", tokens.requireRole("admin", this::list))
                .delete("/{id}", tokens.requireRole("admin", this::erase))
                .any("/{id}", Problems.methodNotAllowed("GET", "DELETE"));
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().first("id").orElse("");
        if (id.isBlank() || id.length() > 200 || id.indexOf('\0') >= 0) {
            throw ProblemException.badRequest("The user id must be 1 to 200 characters.");
        }
        return id;
    }

    private void list(ServerRequest req, ServerResponse res) {
        Json.send(res, ReadParams.page(events.forUser(id(req), ReadParams.listQuery(req))));
    }

    private void erase(ServerRequest req, ServerResponse res) {
        Json.send(res, Map.of("deleted", events.erase(id(req))));
    }
}
