package plaza.auth.oauth;

/**
 * An error of the token endpoint as RFC 6749 §5.2 has it: {@code {"error", "error_description"}}, 400, or 401
 * for {@code invalid_client}. OAuth clients parse this shape, not problem+json.
 */
public final class OAuthError extends RuntimeException {

    private final String error;
    private final int status;

    public OAuthError(String error, String description) {
        this(error, description, "invalid_client".equals(error) ? 401 : 400);
    }

    public OAuthError(String error, String description, int status) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", description);
    }

    public static OAuthError invalidClient(String description) {
        return new OAuthError("invalid_client", description);
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", description);
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError("invalid_scope", description);
    }

    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError("unauthorized_client", description);
    }
}
