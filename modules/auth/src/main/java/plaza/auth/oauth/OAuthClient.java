package plaza.auth.oauth;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * An OAuth 2.0 client (Cognito's "app client"): confidential when it has a secret (only its SHA-256 is kept),
 * its exact redirect URIs, the scopes it may ask for, the grants it may use and its own token lifetimes.
 * First-party clients skip the consent step.
 */
public record OAuthClient(String id, String secretHash, String name, boolean firstParty, List<String> redirectUris,
                          Set<String> scopes, Set<String> grantTypes, Duration accessTokenTtl, Duration refreshTokenTtl,
                          boolean fromConfig) {

    public static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials");

    public boolean confidential() {
        return secretHash != null;
    }

    public boolean allows(String grantType) {
        return grantTypes.contains(grantType);
    }
}
