package plaza.auth.sessions;

import com.fasterxml.jackson.annotation.JsonProperty;
import plaza.auth.accounts.UserView;

/** What login and refresh answer (seed 001's login response, plus the refresh token's lifetime). */
public record TokenResponse(@JsonProperty("access_token") String accessToken,
                            @JsonProperty("refresh_token") String refreshToken,
                            @JsonProperty("token_type") String tokenType,
                            @JsonProperty("expires_in") long expiresIn,
                            UserView user) {
}
