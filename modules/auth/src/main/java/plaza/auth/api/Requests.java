package plaza.auth.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Request bodies of auth's endpoints (unknown fields are ignored, wrong types are a 400 naming the field). */
final class Requests {

    private Requests() {
    }

    record Register(String email, String password, String name) {
    }

    record Login(String email, String password) {
    }

    record Refresh(@JsonProperty("refresh_token") String refreshToken) {
    }

    record Email(String email) {
    }

    record ResetPassword(String token, @JsonProperty("new_password") String newPassword) {
    }

    record Token(String token) {
    }

    record Rename(String name) {
    }

    record ChangePassword(@JsonProperty("current_password") String currentPassword,
                          @JsonProperty("new_password") String newPassword) {
    }
}
