package plaza.auth.sessions;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.helidon.config.Config;
import plaza.auth.AuthMetrics;
import plaza.auth.abuse.LoginLockout;
import plaza.auth.accounts.Emails;
import plaza.auth.accounts.User;
import plaza.auth.accounts.UserView;
import plaza.auth.accounts.Users;
import plaza.auth.passwords.PasswordHasher;
import plaza.auth.store.Jdbc;
import plaza.auth.tokens.AccessTokens;
import plaza.auth.tokens.RefreshTokens;
import plaza.platform.http.ProblemException;

/**
 * Sign-in sessions: login (password → access + refresh token), refresh-token rotation with reuse detection
 * and a grace window ({@code auth.refresh-reuse-grace}, PT10S: a rotated token presented again within it gets
 * a fresh token of the same session instead of killing the session, so two tabs refreshing at once both
 * survive; after it, the whole session is revoked), logout and logout-all.
 */
public final class Sessions {

    private static final System.Logger LOG = System.getLogger(Sessions.class.getName());
    /** The one answer to every failed sign-in, whether or not the account exists. */
    static final String BAD_CREDENTIALS = "The email or password is wrong.";

    private final Jdbc jdbc;
    private final Users users;
    private final PasswordHasher hasher;
    private final LoginLockout lockout;
    private final RefreshTokens refreshTokens;
    private final AccessTokens accessTokens;
    private final AuthMetrics metrics;
    private final Duration grace;
    private final plaza.auth.accounts.UserCache cache;

    public Sessions(Jdbc jdbc, Users users, PasswordHasher hasher, LoginLockout lockout, RefreshTokens refreshTokens,
                    AccessTokens accessTokens, AuthMetrics metrics, Config auth, plaza.auth.accounts.UserCache cache) {
        this.cache = cache;
        this.jdbc = jdbc;
        this.users = users;
        this.hasher = hasher;
        this.lockout = lockout;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.metrics = metrics;
        this.grace = auth.get("refresh-reuse-grace").as(Duration.class).orElse(Duration.ofSeconds(10));
    }

    public TokenResponse login(String rawEmail, String password) {
        SignedIn signedIn = signIn(rawEmail, password, true);
        return respond(signedIn.user(), signedIn.family(), signedIn.refreshToken());
    }

    /** A checked sign-in: the account, and with a session started its family and first refresh token. */
    public record SignedIn(User user, String family, String refreshToken) {
    }

    /**
     * Checks the password exactly as login does (lockout, enumeration-safe 401, rehash, last_login); starts a
     * session only when asked (the OAuth sign-in page starts it when the authorization code is redeemed).
     */
    public SignedIn signIn(String rawEmail, String password, boolean startSession) {
        String email = Emails.normalize(rawEmail);
        Instant start = Jdbc.now();
        Before before = jdbc.read(c -> {
            LoginLockout.State lock = lockout.state(c, email, start);
            boolean lookUp = lock.lockedFor().isEmpty() && email.length() <= Emails.MAX_LENGTH;
            return new Before(lock, lookUp ? users.findByEmail(c, email) : Optional.empty());
        });
        Optional<Duration> locked = before.lock().lockedFor();
        if (locked.isPresent()) {
            metrics.login("locked");
            throw ProblemException.tooManyRequests("Too many failed sign-ins for this account; try again in "
                                                   + seconds(locked.get()) + " s.", locked.get());
        }
        Optional<User> found = before.user();
        boolean ok;
        if (found.isEmpty()) {
            hasher.verifyDummy(password);
            ok = false;
        } else {
            ok = hasher.verify(found.get().passwordHash(), password) && !found.get().disabled();
        }
        if (!ok) {
            Optional<Duration> lock = jdbc.transaction(c -> lockout.recordFailure(c, email, Jdbc.now()));
            metrics.login("bad_credentials");
            if (lock.isPresent()) {
                metrics.lockout();
                LOG.log(Level.INFO, "An account was locked for " + seconds(lock.get()) + " s after repeated sign-in failures");
            }
            throw ProblemException.unauthorized(BAD_CREDENTIALS);
        }
        User user = found.get();
        String rehash = hasher.needsRehash(user.passwordHash()) ? hasher.hash(password) : null;
        String family = UUID.randomUUID().toString();
        Instant now = Jdbc.now();
        // Independent writes (a last_login without its token would be harmless): no transaction round trips.
        String refresh = jdbc.autoCommit(c -> {
            if (before.lock().recorded()) {
                lockout.clear(c, email);
            }
            users.recordLogin(c, user.id(), now);
            if (rehash != null) {
                users.replacePasswordHash(c, user.id(), user.passwordHash(), rehash);
            }
            if (!startSession) {
                return null;
            }
            return refreshTokens.issue(c, user.id(), family, now);
        });
        cache.invalidate(user.id()); // last_login changed
        metrics.login("success");
        User signedIn = new User(user.id(), user.email(), user.name(), null, user.emailVerified(), user.disabled(), user.roles(),
                                 user.createdAt(), user.updatedAt(), now);
        return new SignedIn(signedIn, startSession ? family : null, refresh);
    }

    /**
     * A new session for a signed-in user, bound to OAuth client {@code clientId}: an RFC 9068 access token and a
     * refresh token that only that client can rotate.
     */
    public TokenResponse startSession(String userId, String clientId, String scope, Duration accessTtl, Duration refreshTtl) {
        String family = UUID.randomUUID().toString();
        Instant now = Jdbc.now();
        record Started(User user, String refresh) {
        }
        Started started = jdbc.transaction(c -> {
            Optional<User> user = users.findById(c, userId);
            if (user.isEmpty() || user.get().disabled()) {
                return new Started(null, null);
            }
            return new Started(user.get(), refreshTokens.issue(c, userId, family, now, clientId, refreshTtl));
        });
        if (started.user() == null) {
            throw ProblemException.unauthorized("The account is not available any more.");
        }
        AccessTokens.Issued access = accessTokens.issue(started.user(), family, clientId, scope, accessTtl);
        return new TokenResponse(access.token(), started.refresh(), "Bearer", access.expiresInSeconds(), UserView.of(started.user()));
    }

    /** The session (family) a refresh token belongs to, if it is usable: not revoked, not expired, not yet rotated. */
    public Optional<RefreshTokens.Stored> activeRefreshToken(String token) {
        Instant now = Jdbc.now();
        return jdbc.transaction(c -> refreshTokens.lock(c, token))
                .filter(s -> s.revokedAt() == null && s.expiresAt().isAfter(now) && s.rotatedAt() == null);
    }

    /** Revokes the session a token family id names (a redeemed authorization code presented again). */
    public void revokeFamily(String family) {
        Instant now = Jdbc.now();
        jdbc.transaction(c -> refreshTokens.revokeFamily(c, family, now));
    }

    /** What login reads before hashing, in one connection. */
    private record Before(LoginLockout.State lock, Optional<User> user) {
    }

    /** Outcome of presenting a refresh token, decided inside the transaction and acted on after it. */
    private record Refreshed(User user, String family, String token, String failure, String outcome) {
    }

    public TokenResponse refresh(String token) {
        return refresh(token, null, null, null);
    }

    /**
     * Rotates a refresh token (reuse detection as for the JSON refresh); with {@code clientId} the new access
     * token is an RFC 9068 one for that client, living {@code lifetime}.
     */
    public TokenResponse refresh(String token, String clientId, Duration lifetime, Duration refreshLifetime) {
        Instant now = Jdbc.now();
        Refreshed result = jdbc.transaction(c -> {
            Optional<RefreshTokens.Stored> stored = refreshTokens.lock(c, token);
            if (stored.isEmpty()) {
                return new Refreshed(null, null, null, "The refresh token is not valid.", "invalid");
            }
            RefreshTokens.Stored s = stored.get();
            if (s.revokedAt() != null) {
                return new Refreshed(null, null, null, "The refresh token has been revoked; sign in again.", "invalid");
            }
            if (!s.expiresAt().isAfter(now)) {
                return new Refreshed(null, null, null, "The refresh token has expired; sign in again.", "invalid");
            }
            if (s.clientId() != null && !s.clientId().equals(clientId)) {
                return new Refreshed(null, null, null, "The refresh token was issued to another client.", "invalid");
            }
            Optional<User> user = users.findById(c, s.userId());
            if (user.isEmpty() || user.get().disabled()) {
                refreshTokens.revokeFamily(c, s.familyId(), now);
                return new Refreshed(null, null, null, "The account is not available; sign in again.", "invalid");
            }
            String outcome;
            if (s.rotatedAt() == null) {
                refreshTokens.markRotated(c, s.hash(), now);
                outcome = "rotated";
            } else if (!now.isAfter(s.rotatedAt().plus(grace))) {
                outcome = "grace";
            } else {
                refreshTokens.revokeFamily(c, s.familyId(), now);
                return new Refreshed(null, null, null, "The refresh token was already used; the session has been revoked "
                                                       + "for safety. Sign in again.", "reuse_detected");
            }
            String next = refreshTokens.issue(c, s.userId(), s.familyId(), now, s.clientId(), s.clientId() != null ? refreshLifetime : null);
            return new Refreshed(user.get(), s.familyId(), next, null, outcome);
        });
        metrics.refresh(result.outcome());
        if (result.failure() != null) {
            if ("reuse_detected".equals(result.outcome())) {
                LOG.log(Level.WARNING, "A rotated refresh token was reused after the grace window; its session was revoked");
            }
            throw ProblemException.unauthorized(result.failure());
        }
        if (clientId != null) {
            AccessTokens.Issued access = accessTokens.issue(result.user(), result.family(), clientId, null, lifetime);
            return new TokenResponse(access.token(), result.token(), "Bearer", access.expiresInSeconds(), UserView.of(result.user()));
        }
        return respond(result.user(), result.family(), result.token());
    }

    /** Revokes one session, named by its refresh token or by the access token's {@code sid}. */
    public void logout(String refreshToken, String sessionId, String callerId) {
        Instant now = Jdbc.now();
        jdbc.transaction(c -> {
            if (refreshToken != null) {
                Optional<RefreshTokens.Stored> stored = refreshTokens.lock(c, refreshToken);
                if (stored.isPresent() && (callerId == null || callerId.equals(stored.get().userId()))) {
                    refreshTokens.revokeFamily(c, stored.get().familyId(), now);
                }
            }
            if (sessionId != null && callerId != null) {
                return refreshTokens.revokeFamilyOf(c, sessionId, callerId, now);
            }
            return 0;
        });
    }

    public void logoutAll(String userId) {
        Instant now = Jdbc.now();
        jdbc.transaction(c -> refreshTokens.revokeUser(c, userId, now));
    }

    private TokenResponse respond(User user, String family, String refresh) {
        AccessTokens.Issued access = accessTokens.issue(user, family);
        return new TokenResponse(access.token(), refresh, "Bearer", access.expiresInSeconds(), UserView.of(user));
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
