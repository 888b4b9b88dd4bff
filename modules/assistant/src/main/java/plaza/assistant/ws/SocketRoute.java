package plaza.assistant.ws;

import plaza.platform.security.UpgradeGate;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;

/**
 * HTTP answers on {@code /ai/ws}. Helidon 4.1.2 lets a refused WebSocket upgrade fall through to
 * HTTP routing (it would be a 404), so this repeats the upgrade's checks to answer 401 or 403
 * problem+json; a request that is not an upgrade gets 426 with {@code Upgrade: websocket}.
 */
public final class SocketRoute implements HttpService {

    private final UpgradeGate auth;

    public SocketRoute(UpgradeGate auth) {
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::get).any("/", Problems.methodNotAllowed("GET"));
    }

    private void get(ServerRequest req, ServerResponse res) {
        // Only a refused upgrade needs the gate's reason; a plain GET is told to upgrade, token or not.
        if (req.headers().contains(io.helidon.http.HeaderNames.UPGRADE)) {
            auth.admit(req.headers(), req.prologue().query());
        }
        res.header("Upgrade", "websocket"); // sent, not thrown: a thrown problem loses the headers set here
        Problems.send(req, res, new ProblemException(Status.create(426, "Upgrade Required"), "upgrade-required", "Upgrade required",
                                                     "/ai/ws is a WebSocket endpoint: connect with a WebSocket client."));
    }
}
