package plaza.chat.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.security.UpgradeGate;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;

/**
 * {@code GET /chat/ws} over plain HTTP. Helidon 4.1.2 routes a rejected WebSocket upgrade here
 * (instead of answering it), so this asks the same {@link UpgradeGate} again to give the real
 * reason: 403 for an origin that is not allowed, 401 for a missing or bad token; 503 while the
 * replica shuts down, and 426 (with {@code Upgrade: websocket}) for a request that is not a
 * WebSocket upgrade at all, with or without a token.
 */
public final class UpgradeRefusal implements HttpService {

    private final UpgradeGate gate;
    private final java.util.function.BooleanSupplier closing;

    public UpgradeRefusal(UpgradeGate gate, java.util.function.BooleanSupplier closing) {
        this.gate = gate;
        this.closing = closing;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/ws", this::refuse).any("/ws", Problems.methodNotAllowed("GET"));
    }

    private void refuse(ServerRequest req, ServerResponse res) {
        // Only a refused upgrade needs the gate's reason; a plain GET is told to upgrade, token or not.
        if (req.headers().contains(HeaderNames.UPGRADE)) {
            gate.admit(req.headers(), req.query());
        }
        if (closing.getAsBoolean()) {
            throw new ProblemException(Status.SERVICE_UNAVAILABLE_503, "shutting-down", "Shutting down",
                                       "This chat replica is shutting down; connect again (to another replica).");
        }
        res.header(HeaderNames.UPGRADE, "websocket"); // sent, not thrown: a thrown problem loses the headers set here
        Problems.send(req, res, new ProblemException(Status.create(426, "Upgrade Required"), "upgrade-required", "Upgrade required",
                                                     "/chat/ws is a WebSocket endpoint: connect with a WebSocket client (e.g. wscat -c)."));
    }
}
