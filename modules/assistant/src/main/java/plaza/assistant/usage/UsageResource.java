package plaza.assistant.usage;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.http.Json;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /ai/usage}: the caller's tokens per UTC day and model ({@code ?from=&to=}, dates,
 * inclusive; default this month, or to's month up to to), with totals and quota standing; admins add {@code ?userId=} to
 * see anyone. {@code /ai/usage/quota}: just the budgets and what is left.
 */
public final class UsageResource implements HttpService {

    static final int MAX_DAYS = 366;
    private final UsageRepository usage;
    private final Quotas quotas;
    private final TokenVerifier tokens;

    /** One day and model. */
    record Day(LocalDate day, String model, int calls, int failedCalls, long inputTokens, long outputTokens, long totalTokens,
               int estimatedCalls) {
    }

    public UsageResource(UsageRepository usage, Quotas quotas, TokenVerifier tokens) {
        this.usage = usage;
        this.quotas = quotas;
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::report)
                .any("/", Problems.methodNotAllowed("GET"))
                .get("/quota", this::quota)
                .any("/quota", Problems.methodNotAllowed("GET"));
    }

    private void report(ServerRequest req, ServerResponse res) {
        String userId = subject(req);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate to = QueryParams.date(req, "to").orElse(today);
        // the first of to's month: ?to= alone is that month up to then (not a 400 for a day before this month)
        LocalDate from = QueryParams.date(req, "from").orElse(to.withDayOfMonth(1));
        if (to.isBefore(from)) {
            throw QueryParams.invalid("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw QueryParams.invalid("to", "must be within " + MAX_DAYS + " days of from");
        }
        List<UsageRepository.DailyUsage> rows = usage.daily(userId, from, to);
        long calls = 0;
        long input = 0;
        long output = 0;
        for (var r : rows) {
            calls += r.calls();
            input += r.inputTokens();
            output += r.outputTokens();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", userId);
        body.put("from", from);
        body.put("to", to);
        body.put("days", rows.stream().map(r -> new Day(r.day(), r.model(), r.calls(), r.failedCalls(), r.inputTokens(),
                                                        r.outputTokens(), r.inputTokens() + r.outputTokens(),
                                                        r.estimatedCalls())).toList());
        body.put("totals", Map.of("calls", calls, "inputTokens", input, "outputTokens", output, "totalTokens", input + output));
        body.put("quota", quotas.status(userId));
        Json.send(res, body);
    }

    private void quota(ServerRequest req, ServerResponse res) {
        Json.send(res, quotas.status(subject(req)));
    }

    /** The caller, or with {@code ?userId=} someone else if the caller is an admin (403 otherwise). */
    private String subject(ServerRequest req) {
        Caller caller = tokens.caller(req);
        var userId = QueryParams.string(req, "userId", 255);
        if (userId.isPresent() && !userId.get().equals(caller.id())) {
            caller.requireRole("admin");
            return userId.get();
        }
        return caller.id();
    }
}
