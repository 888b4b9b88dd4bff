package plaza.assistant.prompts;

import java.util.Map;
import java.util.UUID;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.http.Json;
import plaza.platform.http.Problems;
import plaza.platform.http.ProblemException;
import plaza.platform.http.QueryParams;
import plaza.platform.http.Validation;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /ai/prompts}: templates with {@code {{variables}}}. Everyone sees their own and the shared
 * ones; only admins create, change or delete shared ones; another user's own prompt is a 404.
 */
public final class PromptResource implements HttpService {

    public static final int MAX_TEMPLATE = 20_000;
    private final PromptRepository prompts;
    private final TokenVerifier tokens;

    /** Body of POST (all but name/template optional) and PATCH (all optional). */
    record PromptBody(String name, String description, String template, Boolean shared) {
    }

    /** Body of POST /ai/prompts/{id}/render. */
    record RenderBody(Map<String, String> variables) {
    }

    public PromptResource(PromptRepository prompts, TokenVerifier tokens) {
        this.prompts = prompts;
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .any("/", Problems.methodNotAllowed("GET", "POST"))
                .post("/{id}/render", this::render)
                .any("/{id}/render", Problems.methodNotAllowed("POST"))
                .get("/{id}", this::get)
                .patch("/{id}", this::update)
                .delete("/{id}", this::delete)
                .any("/{id}", Problems.methodNotAllowed("GET", "PATCH", "DELETE"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Json.send(res, Map.of("items", prompts.list(caller.id())));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        PromptBody body = Json.read(req, PromptBody.class);
        validate(body, true);
        boolean shared = Boolean.TRUE.equals(body.shared());
        if (shared) {
            caller.requireRole("admin");
        }
        Prompt prompt = prompts.create(shared ? null : caller.id(), body.name().strip(),
                                       body.description() == null ? "" : body.description().strip(), body.template());
        res.header("Location", "/ai/prompts/" + prompt.id());
        Json.send(res, Status.CREATED_201, prompt);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Json.send(res, visible(caller, id(req)));
    }

    private void update(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Prompt current = editable(caller, id(req));
        PromptBody body = Json.read(req, PromptBody.class);
        validate(body, false);
        if (body.shared() != null && body.shared() != current.shared()) {
            throw ProblemException.badRequest("shared cannot be changed; create a new prompt instead.");
        }
        Prompt updated = prompts.update(current.id(),
                                        body.name() != null ? body.name().strip() : current.name(),
                                        body.description() != null ? body.description().strip() : current.description(),
                                        body.template() != null ? body.template() : current.template())
                .orElseThrow(() -> ProblemException.notFound("No prompt " + current.id() + "."));
        Json.send(res, updated);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Prompt current = editable(caller, id(req));
        prompts.delete(current.id());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void render(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Prompt prompt = visible(caller, id(req));
        RenderBody body = Json.read(req, RenderBody.class);
        Map<String, String> values = body.variables() == null ? Map.of() : body.variables();
        Json.send(res, Map.of("text", new PromptTemplate(prompt.template()).render(values, "variables")));
    }

    /** The prompt as the caller may see it; 404 otherwise. */
    public Prompt visible(Caller caller, UUID id) {
        return prompts.visible(caller.id(), id).orElseThrow(() -> ProblemException.notFound("No prompt " + id + "."));
    }

    private Prompt editable(Caller caller, UUID id) {
        Prompt prompt = visible(caller, id);
        if (prompt.shared()) {
            caller.requireRole("admin");
        }
        return prompt;
    }

    private static void validate(PromptBody body, boolean creating) {
        Validation v = new Validation();
        if (creating) {
            v.require("name", body.name()).require("template", body.template());
        } else {
            v.check("name", body.name() == null || !body.name().isBlank(), "must not be blank")
                    .check("template", body.template() == null || !body.template().isBlank(), "must not be blank");
        }
        v.maxLength("name", body.name(), 100)
                .maxLength("description", body.description(), 500)
                .maxLength("template", body.template(), MAX_TEMPLATE)
                .check();
    }

    private static UUID id(ServerRequest req) {
        String raw = req.path().pathParameters().get("id");
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw QueryParams.invalid("id", "must be a UUID");
        }
    }
}
