package plaza.chat.http;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.chat.messages.ChatException;
import plaza.chat.messages.MessageStore;
import plaza.chat.presence.Presence;
import plaza.chat.ws.ChatActions;
import plaza.platform.http.Json;
import plaza.platform.http.PageLinks;
import plaza.platform.http.Problem;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * {@code GET /chat/groups/{groupId}/messages?before=&after=&limit=}: pages through a group's
 * history by seq (oldest first within a page); {@code GET /chat/groups/{groupId}}: the group, who
 * is online and the read markers. Both need a token; private groups only answer members.
 */
public final class HistoryResource implements HttpService {

    private final MessageStore store;
    private final Presence presence;
    private final TokenVerifier tokens;

    public HistoryResource(MessageStore store, Presence presence, TokenVerifier tokens) {
        this.store = store;
        this.presence = presence;
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/groups/{groupId}/messages", this::messages)
                .any("/groups/{groupId}/messages", Problems.methodNotAllowed("GET"))
                .get("/groups/{groupId}", this::group)
                .any("/groups/{groupId}", Problems.methodNotAllowed("GET"));
    }

    private void messages(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        String groupId = groupId(req);
        Long before = QueryParams.longValue(req, "before", 0, Long.MAX_VALUE).orElse(null);
        Long after = QueryParams.longValue(req, "after", 0, Long.MAX_VALUE).orElse(null);
        int limit = QueryParams.integer(req, "limit", 50, 1, 200);
        try {
            store.readable(groupId, caller.id());
            MessageStore.Page page = store.history(groupId, before, after, limit);
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("groupId", groupId);
            ArrayNode messages = body.putArray("messages");
            page.messages().forEach(m -> messages.add(m.toFrame()));
            body.put("hasMore", page.hasMore());
            if (page.hasMore() && !page.messages().isEmpty()) {
                // older pages go backwards from the first message shown; an after= read alone goes on forwards
                boolean forwards = before == null && after != null;
                PageLinks.next(req, res, forwards ? "after" : "before",
                               Long.toString(forwards ? page.messages().getLast().seq() : page.messages().getFirst().seq()));
            }
            Json.send(res, body);
        } catch (ChatException e) {
            throw problem(e);
        }
    }

    private void group(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        String groupId = groupId(req);
        try {
            MessageStore.Group group = store.readable(groupId, caller.id());
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("groupId", groupId);
            body.put("private", group.isPrivate());
            body.put("createdBy", group.createdBy());
            body.put("lastSeq", group.lastSeq());
            ObjectNode online = presence.frame(groupId, "state", null, null);
            body.set("online", online.get("online"));
            body.put("onlineCount", online.get("count").asInt());
            ObjectNode reads = body.putObject("reads");
            store.readMarkers(groupId).forEach(reads::put);
            Json.send(res, body);
        } catch (ChatException e) {
            throw problem(e);
        }
    }

    private static String groupId(ServerRequest req) {
        String groupId = req.path().pathParameters().get("groupId");
        if (!ChatActions.GROUP_ID.matcher(groupId).matches()) {
            throw ProblemException.validation(List.of(new Problem.FieldError(
                    "groupId", "must be 1 to 64 letters, digits, '_', '.', ':' or '-'")));
        }
        return groupId;
    }

    static ProblemException problem(ChatException e) {
        return switch (e.code()) {
            case "not-found" -> ProblemException.notFound(e.getMessage());
            case "forbidden" -> ProblemException.forbidden(e.getMessage());
            case "conflict" -> ProblemException.conflict(e.getMessage());
            default -> new ProblemException(Status.BAD_REQUEST_400, e.code(), "Bad request", e.getMessage());
        };
    }

}
