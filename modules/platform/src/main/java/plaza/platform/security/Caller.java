package plaza.platform.security;

import java.util.Set;

import plaza.platform.http.ProblemException;

/**
 * Who is calling, from a verified access token: {@code sub}, {@code email}, {@code name},
 * {@code roles} and {@code email_verified}. Handlers read it with {@link TokenVerifier#caller}.
 */
public record Caller(String id, String email, String name, Set<String> roles, boolean emailVerified, String token) {

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
