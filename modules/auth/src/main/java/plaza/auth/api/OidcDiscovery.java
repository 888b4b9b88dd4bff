package plaza.auth.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.http.Json;

/**
 * The OpenID Provider metadata (OpenID Connect Discovery 1.0 §3, RFC 8414) served at
 * {@code /.well-known/openid-configuration} and {@code /auth/.well-known/openid-configuration}. Every URL is
 * built on the issuer, which is auth's public base URL, so clients reach the endpoints the way they reached
 * this document. Lists only what auth implements.
 */
public final class OidcDiscovery {

    private final String issuer;
    private final Map<String, Object> metadata = new LinkedHashMap<>();

    public OidcDiscovery(String issuer) {
        this.issuer = issuer;
        metadata.put("issuer", issuer);
        metadata.put("jwks_uri", url("/auth/.well-known/jwks.json"));
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", List.of("ES256"));
        metadata.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "email", "email_verified", "name", "roles"));
    }

    public String issuer() {
        return issuer;
    }

    /** {@code issuer + path}. */
    public String url(String path) {
        return issuer + path;
    }

    /** Adds or replaces a metadata member (an endpoint wired elsewhere announces itself here). */
    public OidcDiscovery put(String name, Object value) {
        metadata.put(name, value);
        return this;
    }

    public Map<String, Object> metadata() {
        return Map.copyOf(metadata);
    }

    public void send(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
        Json.send(res, metadata);
    }
}
