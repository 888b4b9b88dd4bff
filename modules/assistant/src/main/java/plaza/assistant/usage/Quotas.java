package plaza.assistant.usage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import plaza.assistant.AssistantSettings;
import plaza.platform.http.ProblemException;

/**
 * Per-user token budgets per UTC day and calendar month (UTC): the configured defaults
 * ({@code assistant.quota.daily-tokens}, {@code monthly-tokens}; 0 = unlimited) or an admin's
 * override. A user at or over a budget gets a 429 saying when it resets, before any model call.
 * Replies already running finish and are billed (a budget can be overshot by the replies in flight,
 * and, with several replicas, by what the others billed within {@code assistant.quota.refresh}).
 */
public final class Quotas {

    /** A user's budgets and what is left of them; limits of 0 mean unlimited. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String userId, long dailyLimit, long usedToday, Instant dailyResetsAt,
                         long monthlyLimit, long usedThisMonth, Instant monthlyResetsAt, boolean overridden) {
    }

    private static final int MAX_CACHED = 100_000;
    private final UsageRepository usage;
    private final AssistantSettings.Quota defaults;
    private final Clock clock;
    private final long refreshNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** A user's standing as last read, plus what this replica billed since. */
    private record Cached(LocalDate day, UsageRepository.Standing standing, long readNanos) {
    }

    /**
     * {@code refresh}: how long a user's standing read from the database is reused (this replica
     * adds what it bills meanwhile; other replicas' spending shows up at the next read). Zero reads
     * it before every reply.
     */
    public Quotas(UsageRepository usage, AssistantSettings.Quota defaults, Clock clock, Duration refresh) {
        this.usage = usage;
        this.defaults = defaults;
        this.clock = clock;
        this.refreshNanos = refresh.toNanos();
    }

    /** Whether {@link #check} will answer without reading the database. */
    public boolean fresh(String userId) {
        Cached c = cache.get(userId);
        return c != null && System.nanoTime() - c.readNanos() < refreshNanos
               && c.day().equals(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    /** Adds tokens this replica just billed to the user's cached standing. */
    public void billed(String userId, long tokens) {
        cache.computeIfPresent(userId, (k, c) -> new Cached(c.day(), new UsageRepository.Standing(
                c.standing().usedToday() + tokens, c.standing().usedThisMonth() + tokens,
                c.standing().dailyOverride(), c.standing().monthlyOverride()), c.readNanos()));
    }

    /** Forgets the cached standing (an admin changed the user's budgets). */
    public void invalidate(String userId) {
        cache.remove(userId);
    }

    public Status status(String userId) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        UsageRepository.Standing s;
        if (fresh(userId)) {
            s = cache.get(userId).standing();
        } else {
            s = usage.standing(userId, today, today.withDayOfMonth(1));
            if (refreshNanos > 0) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(userId, new Cached(today, s, System.nanoTime()));
            }
        }
        long daily = s.dailyOverride() != null ? s.dailyOverride() : defaults.dailyTokens();
        long monthly = s.monthlyOverride() != null ? s.monthlyOverride() : defaults.monthlyTokens();
        return new Status(userId, daily, s.usedToday(), today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                          monthly, s.usedThisMonth(), today.withDayOfMonth(1).plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                          s.dailyOverride() != null || s.monthlyOverride() != null);
    }

    /** Throws a 429 {@code quota-exceeded} problem (with {@code Retry-After}) when a budget is used up. */
    public void check(String userId) {
        Status s = status(userId);
        Instant now = clock.instant();
        if (s.monthlyLimit() > 0 && s.usedThisMonth() >= s.monthlyLimit()) {
            throw exceeded("monthly", s.usedThisMonth(), s.monthlyLimit(), s.monthlyResetsAt(), now);
        }
        if (s.dailyLimit() > 0 && s.usedToday() >= s.dailyLimit()) {
            throw exceeded("daily", s.usedToday(), s.dailyLimit(), s.dailyResetsAt(), now);
        }
    }

    private static ProblemException exceeded(String period, long used, long limit, Instant resetsAt, Instant now) {
        return new ProblemException(io.helidon.http.Status.TOO_MANY_REQUESTS_429, "quota-exceeded", "Token quota exceeded",
                                    "You have used " + used + " of your " + period + " budget of " + limit
                                    + " tokens; it resets at " + resetsAt + ".",
                                    null, Duration.between(now, resetsAt));
    }
}
