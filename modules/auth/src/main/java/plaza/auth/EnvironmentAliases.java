package plaza.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.helidon.config.Config;
import plaza.platform.config.PlazaConfig;

/**
 * Helidon maps {@code AUTH_SMTP_HOST} to {@code auth.smtp.host} by itself, but a key with a dash
 * ({@code auth.signing-key-file}) would need {@code AUTH_SIGNING_DASH_KEY_FILE}. These are the plain names
 * operators expect: the key with {@code .} and {@code -} written as {@code _}, upper case
 * ({@code AUTH_SIGNING_KEY_FILE}, {@code AUTH_RATE_LIMIT_LOGIN_CAPACITY}, …). When set, they win.
 */
final class EnvironmentAliases {

    static final List<String> DASHED_KEYS = List.of(
            "auth.signing-key-file", "auth.signing-key", "auth.key-directory", "auth.key-reload-interval",
            "auth.public-url", "auth.access-token-ttl", "auth.refresh-token-ttl", "auth.refresh-reuse-grace",
            "auth.password-reset-ttl", "auth.verification-ttl", "auth.trust-forwarded", "auth.housekeeping-interval",
            "auth.user-cache-ttl", "auth.user-cache-max-entries",
            "auth.smtp.starttls-required", "auth.mail.reset-url", "auth.mail.verify-url", "auth.mail.product-name",
            "auth.dev-mail.enabled", "auth.dev-mail.port", "auth.dev-mail.keep",
            "auth.password.min-length", "auth.password.max-length", "auth.password.refuse-common",
            "auth.password.argon2.memory-kib", "auth.password.argon2.max-concurrent",
            "auth.lockout.base-delay", "auth.lockout.max-delay",
            "auth.rate-limit.enabled",
            "auth.rate-limit.login.capacity", "auth.rate-limit.login.per-minute",
            "auth.rate-limit.register.capacity", "auth.rate-limit.register.per-minute",
            "auth.rate-limit.forgot-password.capacity", "auth.rate-limit.forgot-password.per-minute",
            "auth.rate-limit.verification.capacity", "auth.rate-limit.verification.per-minute",
            "auth.rate-limit.mail-per-account.capacity", "auth.rate-limit.mail-per-account.per-minute");

    private EnvironmentAliases() {
    }

    static String envName(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    static Config apply(Config root, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (String key : DASHED_KEYS) {
            String value = env.get(envName(key));
            if (value != null && !value.isBlank()) {
                values.put(key, value);
            }
        }
        return values.isEmpty() ? root : PlazaConfig.override(root, values);
    }
}
