package plaza.auth.passwords;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import io.helidon.config.Config;
import plaza.platform.http.Problem;

/**
 * What a new password must be: at least {@code min-length} characters (default 8), at most
 * {@code max-length} (default 256), not one of the ~96,000 most common passwords (shipped as
 * {@code plaza/auth/common-passwords.txt.gz}, compared case-insensitively; {@code refuse-common}, default
 * true) and not the account's own email address. Config {@code auth.password.*}.
 */
public final class PasswordPolicy {

    private static final String COMMON_LIST = "/plaza/auth/common-passwords.txt.gz";

    private final int minLength;
    private final int maxLength;
    private final Set<String> common;

    public PasswordPolicy(int minLength, int maxLength, Set<String> common) {
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("auth.password: need 1 <= min-length <= max-length");
        }
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.common = common;
    }

    public static PasswordPolicy create(Config password) {
        boolean refuseCommon = password.get("refuse-common").asBoolean().orElse(true);
        return new PasswordPolicy(password.get("min-length").asInt().orElse(8),
                                  password.get("max-length").asInt().orElse(256),
                                  refuseCommon ? loadCommon() : Set.of());
    }

    public int maxLength() {
        return maxLength;
    }

    /** The problems with {@code password} as field errors on {@code field}; empty when it is acceptable. */
    public List<Problem.FieldError> check(String field, String password, String email) {
        if (password == null || password.isEmpty()) {
            return List.of(new Problem.FieldError(field, "is required"));
        }
        int length = password.codePointCount(0, password.length());
        if (length < minLength) {
            return List.of(new Problem.FieldError(field, "must be at least " + minLength + " characters"));
        }
        if (length > maxLength) {
            return List.of(new Problem.FieldError(field, "must be at most " + maxLength + " characters"));
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(lower)) {
            return List.of(new Problem.FieldError(field, "is one of the most commonly used passwords; choose another"));
        }
        if (email != null && lower.equals(email.toLowerCase(Locale.ROOT))) {
            return List.of(new Problem.FieldError(field, "must not be your email address"));
        }
        return List.of();
    }

    private static Set<String> loadCommon() {
        try (InputStream raw = PasswordPolicy.class.getResourceAsStream(COMMON_LIST)) {
            if (raw == null) {
                throw new IllegalStateException("Missing resource " + COMMON_LIST);
            }
            Set<String> set = new HashSet<>(200_000);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isEmpty()) {
                        set.add(line.toLowerCase(Locale.ROOT));
                    }
                }
            }
            return Set.copyOf(set);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + COMMON_LIST, e);
        }
    }
}
