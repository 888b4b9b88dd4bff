package plaza.auth;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.http.HttpRouting;
import plaza.auth.abuse.AbuseLimits;
import plaza.auth.abuse.LoginLockout;
import plaza.auth.accounts.Accounts;
import plaza.auth.accounts.MailTokens;
import plaza.auth.accounts.UserCache;
import plaza.auth.accounts.Users;
import plaza.auth.api.AuthResource;
import plaza.auth.api.OidcDiscovery;
import plaza.auth.oauth.OAuthClients;
import plaza.auth.oauth.OAuthResource;
import plaza.auth.api.UsersResource;
import plaza.auth.mail.AccountMails;
import plaza.auth.mail.DevMailbox;
import plaza.auth.mail.DevOutboxResource;
import plaza.auth.mail.Mailer;
import plaza.auth.passwords.PasswordHasher;
import plaza.auth.passwords.PasswordPolicy;
import plaza.auth.sessions.Sessions;
import plaza.auth.store.Jdbc;
import plaza.auth.tokens.AccessTokens;
import plaza.auth.tokens.RefreshTokens;
import plaza.auth.tokens.SigningKeys;
import plaza.platform.PlazaService;
import plaza.platform.db.Database;
import plaza.platform.security.TokenVerifier;

/**
 * The auth service: accounts, access and refresh tokens, password reset, email verification, the JWKS.
 * URL prefixes {@code /auth} and {@code /users}. Every setting is under {@code auth.*} (see docs/auth.md),
 * plus {@code plaza.jwt.issuer}/{@code audience} for the tokens it signs.
 */
public final class AuthService implements PlazaService {

    private static final System.Logger LOG = System.getLogger(AuthService.class.getName());

    private final Database db;
    private final SigningKeys keys;
    private final TokenVerifier verifier;
    private final AuthResource authResource;
    private final UsersResource usersResource;
    private final Mailer mailer;
    private final DevMailbox devMailbox;
    private final ScheduledExecutorService housekeeping;
    private final OidcDiscovery discovery;
    private final OAuthResource oauth;

    private AuthService(Database db, SigningKeys keys, TokenVerifier verifier, AuthResource authResource,
                        UsersResource usersResource, Mailer mailer, DevMailbox devMailbox, ScheduledExecutorService housekeeping,
                        OidcDiscovery discovery, OAuthResource oauth) {
        this.discovery = discovery;
        this.oauth = oauth;
        this.db = db;
        this.keys = keys;
        this.verifier = verifier;
        this.authResource = authResource;
        this.usersResource = usersResource;
        this.mailer = mailer;
        this.devMailbox = devMailbox;
        this.housekeeping = housekeeping;
    }

    /** Builds auth over its (migrated) database; creates the first admin when {@code auth.admin.*} is set. */
    public static AuthService create(Config root, Database db) {
        Config auth = root.get("auth");
        AuthMetrics metrics = new AuthMetrics();
        Jdbc jdbc = new Jdbc(db.dataSource());
        SigningKeys keys = SigningKeys.create(auth);
        String issuer = issuer(root);
        String audience = root.get("plaza.jwt.audience").asString().orElse("plaza");
        TokenVerifier verifier = TokenVerifier.create(keys.source(), issuer, audience);
        AccessTokens accessTokens = AccessTokens.create(keys, root);
        RefreshTokens refreshTokens = new RefreshTokens(auth.get("refresh-token-ttl").as(Duration.class).orElse(Duration.ofDays(30)));
        Users users = new Users();
        PasswordHasher hasher = PasswordHasher.create(auth.get("password.argon2"));
        PasswordPolicy policy = PasswordPolicy.create(auth.get("password"));
        LoginLockout lockout = LoginLockout.create(auth.get("lockout"));
        AbuseLimits limits = AbuseLimits.create(auth);

        DevMailbox devMailbox = null;
        boolean smtpConfigured = auth.get("smtp.host").asString().asOptional().filter(s -> !s.isBlank()).isPresent();
        if (auth.get("dev-mail.enabled").asBoolean().orElse(false) && !smtpConfigured) {
            try {
                devMailbox = DevMailbox.start(auth.get("dev-mail.port").asInt().orElse(0), auth.get("dev-mail.keep").asInt().orElse(200));
            } catch (NoClassDefFoundError e) {
                throw new IllegalStateException("auth.dev-mail.enabled needs com.icegreen:greenmail on the classpath", e);
            }
        }
        Mailer mailer = devMailbox != null
                ? Mailer.create(auth, "127.0.0.1", devMailbox.port(), metrics)
                : Mailer.create(auth, null, null, metrics);
        AccountMails mails = new AccountMails(mailer, auth);
        MailTokens resets = MailTokens.passwordResets(auth.get("password-reset-ttl").as(Duration.class).orElse(Duration.ofHours(1)));
        MailTokens verifications = MailTokens.emailVerifications(auth.get("verification-ttl").as(Duration.class).orElse(Duration.ofDays(1)));

        UserCache cache = new UserCache(auth.get("user-cache-ttl").as(Duration.class).orElse(Duration.ofSeconds(1)),
                                        auth.get("user-cache-max-entries").asInt().orElse(10_000));
        Accounts accounts = new Accounts(jdbc, users, hasher, policy, resets, verifications, refreshTokens, lockout, mails, limits,
                                         metrics, cache);
        Sessions sessions = new Sessions(jdbc, users, hasher, lockout, refreshTokens, accessTokens, metrics, auth, cache);

        var adminEmail = auth.get("admin.email").asString().asOptional().filter(s -> !s.isBlank());
        if (adminEmail.isPresent()) {
            accounts.ensureAdmin(adminEmail.get(), auth.get("admin.password").asString().orElse(null));
        }

        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("auth-housekeeping").factory());
        Duration every = auth.get("housekeeping-interval").as(Duration.class).orElse(Duration.ofHours(1));
        housekeeping.scheduleWithFixedDelay(() -> purge(jdbc, refreshTokens, resets, verifications, lockout),
                                            every.toSeconds(), every.toSeconds(), TimeUnit.SECONDS);

        LOG.log(Level.INFO, "auth ready: " + keys.publicKeys().getKeys().size() + " signing key(s), passwords "
                            + hasher.parameters() + ", mail " + (devMailbox != null ? "to the dev mailbox"
                                                                                    : mailer.configured() ? "over SMTP" : "not configured"));
        OidcDiscovery discovery = new OidcDiscovery(issuer)
                .put("token_endpoint", issuer + "/auth/oauth/token")
                .put("authorization_endpoint", issuer + "/auth/oauth/authorize")
                .put("userinfo_endpoint", issuer + "/auth/oauth/userinfo")
                .put("revocation_endpoint", issuer + "/auth/oauth/revoke")
                .put("introspection_endpoint", issuer + "/auth/oauth/introspect")
                .put("end_session_endpoint", issuer + "/auth/oauth/logout")
                .put("response_types_supported", List.of("code"))
                .put("response_modes_supported", List.of("query"))
                .put("code_challenge_methods_supported", List.of("S256"))
                .put("scopes_supported", List.of("openid", "profile", "email", "offline_access"))
                .put("authorization_response_iss_parameter_supported", true)
                .put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"))
                .put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        OAuthResource oauth = new OAuthResource(new OAuthClients(jdbc, auth), accessTokens, sessions, verifier, keys, jdbc,
                                                 auth.get("oauth.code-ttl").as(Duration.class).orElse(Duration.ofMinutes(1)));
        return new AuthService(db, keys, verifier, new AuthResource(accounts, sessions, keys, verifier, limits, discovery),
                               new UsersResource(accounts, verifier), mailer, devMailbox, housekeeping, discovery, oauth);
    }

    /**
     * The {@code iss} of the tokens auth signs and the base of its discovery document: {@code plaza.jwt.issuer}, else
     * {@code auth.public-url}, else {@code http://localhost:8080}. OpenID Connect wants a URL here, without a trailing slash.
     */
    public static String issuer(Config root) {
        String issuer = root.get("plaza.jwt.issuer").asString().asOptional().filter(s -> !s.isBlank())
                .or(() -> root.get("auth.public-url").asString().asOptional().filter(s -> !s.isBlank()))
                .orElse(TokenVerifier.DEFAULT_ISSUER);
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    private static void purge(Jdbc jdbc, RefreshTokens refreshTokens, MailTokens resets, MailTokens verifications, LoginLockout lockout) {
        try {
            java.time.Instant now = Jdbc.now();
            Duration keep = Duration.ofDays(1);
            jdbc.transaction(c -> refreshTokens.purgeExpired(c, now, keep) + resets.purge(c, now, keep)
                                  + verifications.purge(c, now, keep) + lockout.purge(c, now)
                                  + Jdbc.update(c, "DELETE FROM oauth_codes WHERE expires_at < ?", now.minus(keep)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "auth housekeeping failed: " + e.getMessage());
        }
    }

    /** auth's public keys, always current (rotation included): what standalone verifies tokens with. */
    public JWKSource<SecurityContext> publicKeys() {
        return keys.source();
    }

    /** A verifier over auth's own key set (no HTTP round trip to the JWKS). */
    public TokenVerifier tokenVerifier() {
        return verifier;
    }

    /** The in-process mailbox when {@code auth.dev-mail.enabled} started one. */
    public java.util.Optional<DevMailbox> devMailbox() {
        return java.util.Optional.ofNullable(devMailbox);
    }

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        // OpenID Connect Discovery 1.0 §4: at the issuer's root; also under /auth for a gateway that routes only /auth here.
        routing.get("/.well-known/openid-configuration", discovery::send);
        routing.register("/auth/oauth", oauth);
        routing.register("/auth", authResource);
        if (devMailbox != null) {
            routing.register("/auth/dev", new DevOutboxResource(devMailbox));
        }
        routing.register("/users", usersResource);
    }

    @Override
    public List<HealthCheck> healthChecks() {
        return new ArrayList<>(List.of(db.readiness()));
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        mailer.close();
        if (devMailbox != null) {
            devMailbox.close();
        }
        db.close();
    }
}
