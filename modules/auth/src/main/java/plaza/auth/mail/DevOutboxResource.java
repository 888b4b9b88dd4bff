package plaza.auth.mail;

import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;

/**
 * {@code GET /auth/dev/outbox[?to=address]}: the mails standalone's {@link DevMailbox} received, newest first.
 * Mounted only when {@code auth.dev-mail.enabled} is on, and answers only callers on this machine (the peer
 * address is loopback): the mails hold reset tokens.
 */
public final class DevOutboxResource implements HttpService {

    private final DevMailbox mailbox;

    public DevOutboxResource(DevMailbox mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/outbox", this::outbox).any("/outbox", Problems.methodNotAllowed("GET"));
    }

    private void outbox(ServerRequest req, ServerResponse res) {
        String peer = req.remotePeer().host();
        if (!(peer.startsWith("127.") || peer.equals("::1") || peer.equals("0:0:0:0:0:0:0:1") || peer.equals("localhost"))) {
            throw ProblemException.forbidden("The dev outbox answers only requests from this machine.");
        }
        Json.send(res, Map.of("mails", mailbox.mails(QueryParams.string(req, "to", 320).orElse(null))));
    }
}
