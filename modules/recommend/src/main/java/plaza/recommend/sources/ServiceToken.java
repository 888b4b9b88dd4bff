package plaza.recommend.sources;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import plaza.platform.http.Json;

/**
 * The {@code Authorization} recommend sends to events' feed: an OAuth2 client-credentials token from auth's
 * token endpoint ({@code POST /auth/oauth/token}, HTTP Basic client authentication, RFC 6749 §4.4), kept until
 * a minute before it expires.
 */
public interface ServiceToken {

    /** {@code Bearer …}; throws {@link IllegalStateException} when no token can be had. */
    String authorization();

    static ServiceToken fixed(String token) {
        return () -> "Bearer " + token;
    }

    static ServiceToken clientCredentials(URI tokenUrl, String clientId, String clientSecret, String scope, Duration timeout) {
        return new ClientCredentials(tokenUrl, clientId, clientSecret, scope, timeout);
    }

    final class ClientCredentials implements ServiceToken {
        private final URI tokenUrl;
        private final String basic;
        private final String scope;
        private final Duration timeout;
        private final HttpClient http;
        private String token;
        private Instant renewAt = Instant.EPOCH;

        ClientCredentials(URI tokenUrl, String clientId, String clientSecret, String scope, Duration timeout) {
            this.tokenUrl = tokenUrl;
            this.basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
            this.scope = scope;
            this.timeout = timeout;
            this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        }

        @Override
        public synchronized String authorization() {
            if (token == null || Instant.now().isAfter(renewAt)) {
                fetch();
            }
            return "Bearer " + token;
        }

        private void fetch() {
            String form = "grant_type=client_credentials" + (scope.isBlank() ? "" : "&scope=" + java.net.URLEncoder.encode(scope, StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(timeout)
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("auth's token endpoint answered " + response.statusCode() + ": " + response.body());
                }
                JsonNode body = Json.parse(response.body());
                token = body.path("access_token").asText();
                long lifetime = body.path("expires_in").asLong(300);
                renewAt = Instant.now().plusSeconds(Math.max(5, lifetime - 60));
            } catch (IOException e) {
                throw new IllegalStateException("auth's token endpoint is unreachable: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking auth for a token", e);
            }
        }
    }
}
