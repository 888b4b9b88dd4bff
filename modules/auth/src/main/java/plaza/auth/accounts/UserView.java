package plaza.auth.accounts;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** An account as clients see it: seed 001's user fields (no password hash) plus verification, roles and status. */
@JsonPropertyOrder({"user_id", "email", "name", "email_verified", "roles", "disabled", "created_at", "updated_at", "last_login"})
public record UserView(@JsonProperty("user_id") String userId,
                       String email,
                       String name,
                       @JsonProperty("email_verified") boolean emailVerified,
                       List<String> roles,
                       boolean disabled,
                       @JsonProperty("created_at") Instant createdAt,
                       @JsonProperty("updated_at") Instant updatedAt,
                       @JsonProperty("last_login") Instant lastLogin) {

    public static UserView of(User user) {
        return new UserView(user.id(), user.email(), user.name(), user.emailVerified(),
                            user.roles().stream().sorted().toList(), user.disabled(),
                            user.createdAt(), user.updatedAt(), user.lastLogin());
    }
}
