package plaza.assistant.usage;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.http.PathParams;
import plaza.platform.http.Validation;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /ai/quotas/{userId}} (admins only): read, set or remove a user's own budgets. A null
 * budget falls back to the configured default, 0 means unlimited.
 */
public final class QuotaResource implements HttpService {

    private static final long MAX_TOKENS = 1_000_000_000_000L;
    private final UsageRepository usage;
    private final Quotas quotas;
    private final TokenVerifier tokens;

    /** PUT body. */
    record QuotaBody(Long dailyTokens, Long monthlyTokens) {
    }

    public QuotaResource(UsageRepository usage, Quotas quotas, TokenVerifier tokens) {
        this.usage = usage;
        this.quotas = quotas;
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{userId}", tokens.requireRole("admin", this::get))
                .put("/{userId}", tokens.requireRole("admin", this::put))
                .delete("/{userId}", tokens.requireRole("admin", this::delete))
                .any("/{userId}", Problems.methodNotAllowed("GET", "PUT", "DELETE"));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Json.send(res, quotas.status(userId(req)));
    }

    private void put(ServerRequest req, ServerResponse res) {
        String userId = userId(req);
        QuotaBody body = Json.read(req, QuotaBody.class);
        new Validation().range("dailyTokens", body.dailyTokens(), 0, MAX_TOKENS)
                .range("monthlyTokens", body.monthlyTokens(), 0, MAX_TOKENS)
                .check();
        usage.saveQuota(new UsageRepository.QuotaOverride(userId, body.dailyTokens(), body.monthlyTokens()));
        quotas.invalidate(userId);
        Json.send(res, quotas.status(userId));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String userId = userId(req);
        quotas.invalidate(userId);
        if (!usage.deleteQuota(userId)) {
            throw ProblemException.notFound("User " + userId + " has no quota of their own.");
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static String userId(ServerRequest req) {
        return PathParams.text(req, "userId", 255);
    }
}
