package plaza.assistant.ws;

import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import plaza.platform.http.CorsPolicy;
import plaza.platform.http.ProblemException;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * Authenticates a WebSocket upgrade the way chat does: the {@code Origin} (if sent) must be on the
 * CORS allow-list (403), and an access token must come as {@code Authorization: Bearer},
 * {@code ?token=}, or {@code Sec-WebSocket-Protocol: bearer, <token>} (browsers can set only the
 * last two); it is verified locally (401).
 */
public final class UpgradeAuth {

    /** The verified caller and whether the token came as a subprotocol (then "bearer" is echoed). */
    public record Result(Caller caller, boolean subprotocol) {
    }

    private final TokenVerifier tokens;
    private final CorsPolicy cors;

    public UpgradeAuth(TokenVerifier tokens, CorsPolicy cors) {
        this.tokens = tokens;
        this.cors = cors;
    }

    public Result authenticate(HttpPrologue prologue, Headers headers) {
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !cors.allowsOrigin(origin.get())) {
            throw ProblemException.forbidden("WebSocket connections from this Origin are not allowed.");
        }
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            String value = authorization.get();
            if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw ProblemException.unauthorized("The Authorization header must be 'Bearer <access token>'.");
            }
            return new Result(tokens.verify(value.substring(7).trim()), false);
        }
        Optional<String> query = prologue.query().first("token").asOptional().filter(t -> !t.isBlank());
        if (query.isPresent()) {
            return new Result(tokens.verify(query.get().trim()), false);
        }
        Optional<String> protocols = headers.first(HeaderNames.create("Sec-WebSocket-Protocol"));
        if (protocols.isPresent()) {
            String[] parts = protocols.get().split(",");
            if (parts.length >= 2 && "bearer".equalsIgnoreCase(parts[0].trim()) && !parts[1].isBlank()) {
                return new Result(tokens.verify(parts[1].trim()), true);
            }
        }
        throw ProblemException.unauthorized("Sign in: send the access token as 'Authorization: Bearer <token>', "
                                            + "?token=<token> or 'Sec-WebSocket-Protocol: bearer, <token>'.");
    }
}
