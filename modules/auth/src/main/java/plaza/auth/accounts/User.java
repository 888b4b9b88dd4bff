package plaza.auth.accounts;

import java.time.Instant;
import java.util.Set;

/** An account as stored (with its password hash; never sent: {@link UserView} is what clients see). */
public record User(String id, String email, String name, String passwordHash, boolean emailVerified, boolean disabled,
                   Set<String> roles, Instant createdAt, Instant updatedAt, Instant lastLogin) {

    public boolean isAdmin() {
        return roles.contains(Roles.ADMIN);
    }
}
