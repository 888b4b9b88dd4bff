package plaza.auth.api;

import java.util.Map;
import java.util.Optional;

import com.nimbusds.jose.jwk.ECKey;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.auth.abuse.AbuseLimits;
import plaza.auth.accounts.Accounts;
import plaza.auth.accounts.User;
import plaza.auth.accounts.UserView;
import plaza.auth.sessions.Sessions;
import plaza.auth.tokens.AccessTokens;
import plaza.auth.tokens.SigningKeys;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.http.Validation;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /auth/*}: seed 001's register, login and forgot-password, plus refresh, logout, logout-all,
 * reset-password, verify-email, resend-verification, the JWKS and key rotation.
 */
public final class AuthResource implements HttpService {

    private final Accounts accounts;
    private final Sessions sessions;
    private final SigningKeys keys;
    private final TokenVerifier tokens;
    private final AbuseLimits limits;
    private final OidcDiscovery discovery;

    public AuthResource(Accounts accounts, Sessions sessions, SigningKeys keys, TokenVerifier tokens, AbuseLimits limits,
                        OidcDiscovery discovery) {
        this.discovery = discovery;
        this.accounts = accounts;
        this.sessions = sessions;
        this.keys = keys;
        this.tokens = tokens;
        this.limits = limits;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/register", this::register).any("/register", Problems.methodNotAllowed("POST"))
                .post("/login", this::login).any("/login", Problems.methodNotAllowed("POST"))
                .post("/refresh", this::refresh).any("/refresh", Problems.methodNotAllowed("POST"))
                .post("/logout", this::logout).any("/logout", Problems.methodNotAllowed("POST"))
                .post("/logout-all", this::logoutAll).any("/logout-all", Problems.methodNotAllowed("POST"))
                .post("/forgot-password", this::forgotPassword).any("/forgot-password", Problems.methodNotAllowed("POST"))
                .get("/reset-password", AccountPages::resetPassword)
                .post("/reset-password", this::resetPassword).any("/reset-password", Problems.methodNotAllowed("GET", "POST"))
                .get("/verify-email", AccountPages::verifyEmail)
                .post("/verify-email", this::verifyEmail).any("/verify-email", Problems.methodNotAllowed("GET", "POST"))
                .post("/resend-verification", this::resendVerification)
                .any("/resend-verification", Problems.methodNotAllowed("POST"))
                .get("/.well-known/openid-configuration", discovery::send)
                .any("/.well-known/openid-configuration", Problems.methodNotAllowed("GET"))
                .get("/.well-known/jwks.json", this::jwks).any("/.well-known/jwks.json", Problems.methodNotAllowed("GET"))
                .post("/keys/rotate", this::rotate).any("/keys/rotate", Problems.methodNotAllowed("POST"));
    }

    private void register(ServerRequest req, ServerResponse res) {
        limits.register(req);
        Requests.Register body = Json.read(req, Requests.Register.class);
        User user = accounts.register(body.email(), body.password(), body.name());
        res.header(HeaderNames.LOCATION, "/users/me");
        Json.send(res, Status.CREATED_201, UserView.of(user));
    }

    private void login(ServerRequest req, ServerResponse res) {
        limits.login(req);
        Requests.Login body = Json.read(req, Requests.Login.class);
        new Validation().require("email", body.email()).require("password", body.password()).check();
        noStore(res);
        Json.send(res, sessions.login(body.email(), body.password()));
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        Requests.Refresh body = Json.read(req, Requests.Refresh.class);
        new Validation().require("refresh_token", body.refreshToken()).check();
        noStore(res);
        Json.send(res, sessions.refresh(body.refreshToken()));
    }

    /** Revokes the session of the refresh token in the body, or of the access token's {@code sid}. */
    private void logout(ServerRequest req, ServerResponse res) {
        Optional<Caller> caller = tokens.optionalCaller(req);
        String refreshToken = req.content().hasEntity() ? Json.read(req, Requests.Refresh.class).refreshToken() : null;
        if (caller.isEmpty() && (refreshToken == null || refreshToken.isBlank())) {
            throw ProblemException.unauthorized("Send 'Authorization: Bearer <access token>' or {\"refresh_token\": …} to sign out.");
        }
        sessions.logout(refreshToken, caller.flatMap(AccessTokens::sessionOf).orElse(null), caller.map(Caller::id).orElse(null));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void logoutAll(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        sessions.logoutAll(caller.id());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void forgotPassword(ServerRequest req, ServerResponse res) {
        limits.forgotPassword(req);
        Requests.Email body = Json.read(req, Requests.Email.class);
        accounts.forgotPassword(body.email());
        Json.send(res, Status.ACCEPTED_202, Map.of("detail",
                "If an account exists for this address, a password-reset link is on its way to it."));
    }

    private void resetPassword(ServerRequest req, ServerResponse res) {
        Requests.ResetPassword body = Json.read(req, Requests.ResetPassword.class);
        accounts.resetPassword(body.token(), body.newPassword());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void verifyEmail(ServerRequest req, ServerResponse res) {
        Requests.Token body = Json.read(req, Requests.Token.class);
        accounts.verifyEmail(body.token());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void resendVerification(ServerRequest req, ServerResponse res) {
        limits.verification(req);
        Requests.Email body = Json.read(req, Requests.Email.class);
        accounts.resendVerification(body.email());
        Json.send(res, Status.ACCEPTED_202, Map.of("detail",
                "If this address has an account that is not verified yet, a verification link is on its way to it."));
    }

    private void jwks(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=" + SigningKeys.JWKS_MAX_AGE.toSeconds());
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(keys.publicKeys().toString(true));
    }

    /** Admin: generates a new signing key (only where keys live in auth.key-directory). */
    private void rotate(ServerRequest req, ServerResponse res) {
        tokens.caller(req).requireRole("admin");
        if (!keys.canRotate()) {
            throw ProblemException.conflict("Signing keys come from auth.signing-key(-file); rotate them by adding a newer key "
                                            + "to that PEM (the last key signs, all are published).");
        }
        ECKey key = keys.rotate();
        Json.send(res, Status.CREATED_201, Map.of("kid", key.getKeyID(), "keys", keys.publicKeys().getKeys().size(),
                                                  "signs_from", keys.signsFrom(key.getKeyID()).orElseThrow().toString()));
    }

    private static void noStore(ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
    }
}
