package plaza.auth;

import java.util.List;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

/**
 * auth's counters, in Prometheus as {@code auth_logins_total{outcome}}, {@code auth_registrations_total},
 * {@code auth_refreshes_total{outcome}}, {@code auth_mails_total{kind,outcome}} and {@code auth_lockouts_total}.
 */
public final class AuthMetrics {

    private final MeterRegistry registry = Metrics.globalRegistry();

    /** Outcomes: success, bad_credentials, locked, rate_limited. */
    public void login(String outcome) {
        counter("auth.logins", "Sign-in attempts by outcome", Tag.create("outcome", outcome)).increment();
    }

    public void registration() {
        counter("auth.registrations", "Accounts registered").increment();
    }

    /** Outcomes: rotated, grace, reuse_detected, invalid. */
    public void refresh(String outcome) {
        counter("auth.refreshes", "Refresh-token uses by outcome", Tag.create("outcome", outcome)).increment();
    }

    /** Kinds: password_reset, verification; outcomes: sent, failed, skipped (per-account budget), unconfigured. */
    public void mail(String kind, String outcome) {
        counter("auth.mails", "Account mails by kind and outcome", Tag.create("kind", kind), Tag.create("outcome", outcome)).increment();
    }

    public void lockout() {
        counter("auth.lockouts", "Accounts locked after repeated sign-in failures").increment();
    }

    private Counter counter(String name, String description, Tag... tags) {
        return registry.getOrCreate(Counter.builder(name).description(description).tags(List.of(tags)));
    }
}
