package plaza.platform.security;

import java.time.Instant;
import java.util.Set;

import plaza.platform.http.ProblemException;

/**
 * Who is calling, from a verified access token: {@code sub}, {@code email}, {@code name},
 * {@code roles} and {@code email_verified}, and when the token expires ({@code exp}; long-lived
 * connections such as WebSockets end then unless renewed). Handlers read it with {@link TokenVerifier#caller}.
 */
public record Caller(String id, String email, String name, Set<String> roles, boolean emailVerified, String token,
                     Instant expiresAt) {

    /** True once the token's {@code exp} has passed. */
    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** A service acting for itself (an OAuth client-credentials token carries role {@code service}), not a user. */
    public boolean isService() {
        return roles.contains("service");
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Throws 403 unless the caller has {@code role}. */
    public Caller requireRole(String role) {
        if (!hasRole(role)) {
            throw ProblemException.forbidden("This needs the '" + role + "' role.");
        }
        return this;
    }
}
