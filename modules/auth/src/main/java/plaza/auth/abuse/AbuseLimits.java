package plaza.auth.abuse;

import io.helidon.config.Config;
import io.helidon.webserver.http.ServerRequest;
import plaza.platform.http.ClientAddress;
import plaza.platform.http.RateLimiter;

/**
 * Per-client-IP token buckets on the endpoints worth abusing, each answering 429 with {@code Retry-After}:
 * sign-in ({@code auth.rate-limit.login}: 30 burst, 30/min), registration ({@code register}: 10, 10/h),
 * password-reset mails ({@code forgot-password}: 5, 5/h) and verification mails ({@code verification}: 5, 5/h),
 * plus a per-account budget for mails of any kind ({@code auth.rate-limit.mail-per-account}: 5, 5/h; over it
 * mails are silently skipped, so the 202 answers stay identical). Each is {@code capacity} +
 * {@code per-minute}. {@code auth.rate-limit.enabled} (true) switches all off; {@code auth.trust-forwarded}
 * (false) takes the client IP from {@code X-Forwarded-For} (behind the ingress only).
 */
public final class AbuseLimits {

    private final boolean enabled;
    private final boolean trustForwarded;
    private final RateLimiter login;
    private final RateLimiter register;
    private final RateLimiter forgotPassword;
    private final RateLimiter verification;
    private final RateLimiter mailPerAccount;

    private AbuseLimits(Config config, boolean trustForwarded) {
        this.enabled = config.get("enabled").asBoolean().orElse(true);
        this.trustForwarded = trustForwarded;
        this.login = limiter(config.get("login"), 30, 30);
        this.register = limiter(config.get("register"), 10, 10.0 / 60);
        this.forgotPassword = limiter(config.get("forgot-password"), 5, 5.0 / 60);
        this.verification = limiter(config.get("verification"), 5, 5.0 / 60);
        this.mailPerAccount = limiter(config.get("mail-per-account"), 5, 5.0 / 60);
    }

    public static AbuseLimits create(Config auth) {
        return new AbuseLimits(auth.get("rate-limit"), auth.get("trust-forwarded").asBoolean().orElse(false));
    }

    public void login(ServerRequest req) {
        check(login, req, "sign-in attempts from your address");
    }

    public void register(ServerRequest req) {
        check(register, req, "registrations from your address");
    }

    public void forgotPassword(ServerRequest req) {
        check(forgotPassword, req, "password-reset requests from your address");
    }

    public void verification(ServerRequest req) {
        check(verification, req, "verification-mail requests from your address");
    }

    /** Whether one more mail may go to this account now (takes a token when it may). */
    public boolean mailAllowed(String userId) {
        return !enabled || mailPerAccount.acquire(userId).isEmpty();
    }

    private void check(RateLimiter limiter, ServerRequest req, String what) {
        if (enabled) {
            limiter.check(ClientAddress.of(req, trustForwarded), what);
        }
    }

    private static RateLimiter limiter(Config config, double capacity, double perMinute) {
        return new RateLimiter(config.get("capacity").asDouble().orElse(capacity),
                               config.get("per-minute").asDouble().orElse(perMinute) / 60.0);
    }
}
