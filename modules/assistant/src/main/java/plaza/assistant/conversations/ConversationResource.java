package plaza.assistant.conversations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.assistant.AssistantSettings;
import plaza.assistant.model.ModelCatalog;
import plaza.assistant.prompts.Prompt;
import plaza.assistant.prompts.PromptRepository;
import plaza.assistant.prompts.PromptTemplate;
import plaza.assistant.replies.Generation;
import plaza.assistant.replies.ReplyEvents;
import plaza.assistant.replies.ReplyListener;
import plaza.assistant.replies.ReplyService;
import plaza.assistant.replies.SseReply;
import plaza.assistant.replies.TurnResult;
import plaza.platform.http.Json;
import plaza.platform.http.Problem;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.http.Validation;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /ai/conversations}: a user's conversations (only their own: anyone else's is a 404),
 * their messages, and new messages answered by the assistant — as JSON, or streamed as SSE with
 * {@code Accept: text/event-stream}.
 */
public final class ConversationResource implements HttpService {

    static final int MAX_TITLE = 200;
    static final int MAX_VARIABLES = 50;
    static final int MAX_VARIABLE_VALUE = 10_000;

    private final ConversationRepository conversations;
    private final PromptRepository prompts;
    private final ReplyService replies;
    private final ModelCatalog models;
    private final AssistantSettings settings;
    private final TokenVerifier tokens;

    /** POST body. */
    record CreateBody(String title, UUID promptId, Map<String, Object> variables, String model) {
    }

    /** PATCH body. */
    record RenameBody(String title) {
    }

    /** POST .../messages body. */
    record MessageBody(com.fasterxml.jackson.databind.JsonNode content) {
    }

    /** A conversation in lists. */
    record Summary(UUID id, String title, String model, UUID promptId, Instant createdAt, Instant updatedAt) {
        static Summary of(Conversation c) {
            return new Summary(c.id(), c.title(), c.model(), c.promptId(), c.createdAt(), c.updatedAt());
        }
    }

    /** A message as clients see it. */
    record MessageView(UUID id, String role, String content, String status, Instant createdAt) {
    }

    public ConversationResource(ConversationRepository conversations, PromptRepository prompts, ReplyService replies,
                                ModelCatalog models, AssistantSettings settings, TokenVerifier tokens) {
        this.conversations = conversations;
        this.prompts = prompts;
        this.replies = replies;
        this.models = models;
        this.settings = settings;
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .any("/", Problems.methodNotAllowed("GET", "POST"))
                .post("/{id}/messages", this::message)
                .any("/{id}/messages", Problems.methodNotAllowed("POST"))
                .post("/{id}/cancel", this::cancel)
                .any("/{id}/cancel", Problems.methodNotAllowed("POST"))
                .get("/{id}", this::get)
                .patch("/{id}", this::rename)
                .delete("/{id}", this::delete)
                .any("/{id}", Problems.methodNotAllowed("GET", "PATCH", "DELETE"));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        CreateBody body = Json.read(req, CreateBody.class);
        Map<String, String> variables = new LinkedHashMap<>();
        Validation v = new Validation()
                .check("title", body.title() == null || !body.title().isBlank(), "must not be blank")
                .maxLength("title", body.title(), MAX_TITLE)
                .check("model", body.model() == null || models.find(body.model()).isPresent(),
                       "must be one of " + models.all().stream().map(ModelCatalog.ModelInfo::name).toList());
        if (body.variables() != null) {
            v.check("variables", body.variables().size() <= MAX_VARIABLES, "must have at most " + MAX_VARIABLES + " entries");
            body.variables().forEach((k, val) -> {
                boolean scalar = val instanceof String || val instanceof Number || val instanceof Boolean;
                v.check("variables." + k, scalar, "must be a string");
                if (scalar) {
                    v.maxLength("variables." + k, val.toString(), MAX_VARIABLE_VALUE);
                    variables.put(k, val.toString());
                }
            });
        }
        v.check();
        String systemPrompt = settings.defaultSystemPrompt();
        String title = body.title() != null ? body.title().strip() : "New conversation";
        if (body.promptId() != null) {
            Prompt prompt = prompts.visible(caller.id(), body.promptId())
                    .orElseThrow(() -> ProblemException.validation(List.of(new Problem.FieldError("promptId", "no such prompt"))));
            systemPrompt = new PromptTemplate(prompt.template()).render(variables, "variables");
            if (body.title() == null) {
                title = prompt.name();
            }
        }
        Instant now = Instant.now();
        Conversation conversation = new Conversation(UUID.randomUUID(), caller.id(), title,
                                                     body.model() != null ? body.model() : models.defaultModel(),
                                                     body.promptId(), systemPrompt, "", 0, 0, now, now);
        conversations.create(conversation);
        res.header("Location", "/ai/conversations/" + conversation.id());
        Json.send(res, Status.CREATED_201, detail(conversation, List.of()));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        int limit = QueryParams.integer(req, "limit", 20, 1, 100);
        Instant beforeUpdated = null;
        UUID beforeId = null;
        var cursor = QueryParams.cursor(req, "cursor", 2);
        if (cursor.isPresent()) {
            beforeUpdated = QueryParams.cursorTime("cursor", cursor.get().get(0));
            try {
                beforeId = UUID.fromString(cursor.get().get(1));
            } catch (IllegalArgumentException e) {
                throw QueryParams.invalid("cursor", "is not a cursor this API returned");
            }
        }
        List<Conversation> page = conversations.list(caller.id(), limit + 1, beforeUpdated, beforeId);
        boolean more = page.size() > limit;
        List<Conversation> items = more ? page.subList(0, limit) : page;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items.stream().map(Summary::of).toList());
        if (more) {
            Conversation last = items.getLast();
            body.put("nextCursor", QueryParams.encodeCursor(last.updatedAt(), last.id()));
        }
        Json.send(res, body);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Conversation c = owned(caller, id(req));
        Json.send(res, detail(c, conversations.messages(c.id(), 0)));
    }

    private void rename(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        UUID id = id(req);
        RenameBody body = Json.read(req, RenameBody.class);
        new Validation().require("title", body.title()).maxLength("title", body.title(), MAX_TITLE).check();
        Conversation c = conversations.rename(caller.id(), id, body.title().strip())
                .orElseThrow(() -> ProblemException.notFound("No conversation " + id + "."));
        Json.send(res, Summary.of(c));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        UUID id = id(req);
        replies.running(caller.id(), id).forEach(Generation::cancel);
        if (!conversations.delete(caller.id(), id)) {
            throw ProblemException.notFound("No conversation " + id + ".");
        }
        replies.deleted(id);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void message(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        UUID id = id(req);
        MessageBody body = Json.read(req, MessageBody.class);
        if (body.content() != null && !body.content().isNull() && !body.content().isTextual()) {
            throw ProblemException.validation(List.of(new Problem.FieldError("content", "must be a string")));
        }
        String content = replies.validContent("content", body.content() == null ? null : body.content().textValue());
        if (SseReply.wanted(req)) {
            ReplyEvents events = new ReplyEvents();
            Generation generation = replies.start(caller, id, content, events);
            SseReply.stream(req, res, generation, events);
            return;
        }
        Generation generation = replies.start(caller, id, content, ReplyListener.NONE);
        TurnResult turn;
        try {
            turn = generation.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ProblemException p) {
                throw p;
            }
            throw e;
        }
        Json.send(res, Status.CREATED_201, turn);
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Conversation c = owned(caller, id(req));
        List<Generation> running = replies.running(caller.id(), c.id());
        running.forEach(Generation::cancel);
        Json.send(res, Status.ACCEPTED_202, Map.of("cancelled", running.size()));
    }

    private Conversation owned(Caller caller, UUID id) {
        return conversations.find(caller.id(), id).orElseThrow(() -> ProblemException.notFound("No conversation " + id + "."));
    }

    private static Map<String, Object> detail(Conversation c, List<StoredMessage> messages) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.id());
        body.put("title", c.title());
        body.put("model", c.model());
        body.put("promptId", c.promptId());
        body.put("systemPrompt", c.systemPrompt());
        body.put("summary", c.summary().isEmpty() ? null : c.summary());
        body.put("createdAt", c.createdAt());
        body.put("updatedAt", c.updatedAt());
        List<MessageView> views = new ArrayList<>(messages.size());
        for (StoredMessage m : messages) {
            views.add(new MessageView(m.id(), m.role(), m.content(), m.status(), m.createdAt()));
        }
        body.put("messages", views);
        return body;
    }

    private static UUID id(ServerRequest req) {
        try {
            return UUID.fromString(req.path().pathParameters().get("id"));
        } catch (IllegalArgumentException e) {
            throw QueryParams.invalid("id", "must be a UUID");
        }
    }
}
