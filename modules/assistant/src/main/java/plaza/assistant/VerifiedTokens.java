package plaza.assistant;

import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jwt.SignedJWT;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import plaza.platform.http.ProblemException;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * Access tokens already verified, kept for {@code assistant.auth.cache-ttl} (PT60S; never past
 * the token's own {@code exp}; PT0S turns it off), so a client streaming many replies pays for the
 * ES256 signature check once instead of on every message. Misses and failures go to the
 * platform's {@link TokenVerifier}, with its 401s.
 */
public final class VerifiedTokens {

    private static final int MAX_ENTRIES = 10_000;
    private final TokenVerifier tokens;
    private final long ttlNanos;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    private record Entry(Caller caller, long expiresNanos) {
    }

    public VerifiedTokens(TokenVerifier tokens, Duration ttl) {
        this.tokens = tokens;
        this.ttlNanos = ttl.toNanos();
    }

    /** The caller of a request (Authorization: Bearer), or a 401 problem. */
    public Caller caller(ServerRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> ProblemException.unauthorized("Sign in: send 'Authorization: Bearer <access token>'."));
        if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ProblemException.unauthorized("The Authorization header must be 'Bearer <access token>'.");
        }
        return verify(header.substring(7).trim());
    }

    /** Verifies a raw token, from the cache when it was verified recently. */
    public Caller verify(String token) {
        long now = System.nanoTime();
        Entry entry = cache.get(token);
        if (entry != null && now < entry.expiresNanos()) {
            return entry.caller();
        }
        Caller caller = tokens.verify(token);
        if (ttlNanos > 0) {
            long expires = now + ttlNanos;
            try {
                Date exp = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime();
                if (exp != null) {
                    expires = Math.min(expires, now + (exp.getTime() - System.currentTimeMillis()) * 1_000_000L);
                }
            } catch (ParseException e) {
                return caller; // verified, yet unparseable here: just don't cache it
            }
            if (cache.size() >= MAX_ENTRIES) {
                cache.entrySet().removeIf(e -> e.getValue().expiresNanos() <= now);
                if (cache.size() >= MAX_ENTRIES) {
                    cache.clear();
                }
            }
            cache.put(token, new Entry(caller, expires));
        }
        return caller;
    }

    /** Wraps a handler so it runs only for a caller with {@code role} (401 / 403). */
    public Handler requireRole(String role, Handler handler) {
        return (req, res) -> {
            caller(req).requireRole(role);
            handler.handle(req, res);
        };
    }

    public Handler authenticated(Handler handler) {
        return (req, res) -> {
            caller(req);
            handler.handle(req, res);
        };
    }
}
