package plaza.auth.accounts;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import plaza.auth.AuthMetrics;
import plaza.auth.abuse.AbuseLimits;
import plaza.auth.abuse.LoginLockout;
import plaza.auth.mail.AccountMails;
import plaza.auth.passwords.PasswordHasher;
import plaza.auth.passwords.PasswordPolicy;
import plaza.auth.store.Jdbc;
import plaza.auth.tokens.RefreshTokens;
import plaza.platform.http.Problem;
import plaza.platform.http.ProblemException;

/**
 * Everything about an account except signing in: registration, email verification, password reset,
 * the profile ({@code /users/me}) and the admin's view of accounts.
 */
public final class Accounts {

    private static final System.Logger LOG = System.getLogger(Accounts.class.getName());
    /** Longest display name, in characters. */
    public static final int MAX_NAME = 100;

    private final Jdbc jdbc;
    private final Users users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final MailTokens resets;
    private final MailTokens verifications;
    private final RefreshTokens refreshTokens;
    private final LoginLockout lockout;
    private final AccountMails mails;
    private final AbuseLimits limits;
    private final AuthMetrics metrics;
    private final UserCache cache;

    public Accounts(Jdbc jdbc, Users users, PasswordHasher hasher, PasswordPolicy policy, MailTokens resets,
                    MailTokens verifications, RefreshTokens refreshTokens, LoginLockout lockout, AccountMails mails,
                    AbuseLimits limits, AuthMetrics metrics, UserCache cache) {
        this.cache = cache;
        this.jdbc = jdbc;
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.resets = resets;
        this.verifications = verifications;
        this.refreshTokens = refreshTokens;
        this.lockout = lockout;
        this.mails = mails;
        this.limits = limits;
        this.metrics = metrics;
    }

    // ---- registration and verification ----

    public User register(String rawEmail, String password, String rawName) {
        String email = Emails.normalize(rawEmail);
        String name = rawName == null ? null : rawName.strip();
        List<Problem.FieldError> errors = new ArrayList<>();
        if (email == null || email.isEmpty()) {
            errors.add(new Problem.FieldError("email", "is required"));
        } else if (!Emails.plausible(email)) {
            errors.add(new Problem.FieldError("email", "must be an email address of at most " + Emails.MAX_LENGTH + " characters"));
        }
        errors.addAll(policy.check("password", password, email));
        errors.addAll(checkName(name));
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        if (jdbc.read(c -> users.emailTaken(c, email))) {
            throw emailTaken();
        }
        Instant now = Jdbc.now();
        User user = new User(UUID.randomUUID().toString(), email, name, hasher.hash(password), false, false,
                             Set.of(Roles.USER), now, now, null);
        String token;
        try {
            token = jdbc.transaction(c -> {
                users.insert(c, user);
                return verifications.issue(c, user, now);
            });
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql && Jdbc.isDuplicateKey(sql)) {
                throw emailTaken();
            }
            throw e;
        }
        metrics.registration();
        if (limits.mailAllowed(user.id())) {
            mails.verification(user.email(), user.name(), token, verifications.ttl());
        } else {
            metrics.mail("verification", "skipped");
        }
        return user;
    }

    /** Sends a new verification mail when the account exists and is not verified yet; silent otherwise. */
    public void resendVerification(String rawEmail) {
        String email = requireEmail(rawEmail);
        Instant now = Jdbc.now();
        Optional<String[]> sent = jdbc.transaction(c -> {
            Optional<User> user = users.findByEmail(c, email);
            if (user.isEmpty() || user.get().emailVerified() || user.get().disabled() || !limits.mailAllowed(user.get().id())) {
                return Optional.empty();
            }
            return Optional.of(new String[] {user.get().email(), user.get().name(), verifications.issue(c, user.get(), now)});
        });
        sent.ifPresent(m -> mails.verification(m[0], m[1], m[2], verifications.ttl()));
    }

    public void verifyEmail(String token) {
        requireToken(token);
        Instant now = Jdbc.now();
        String verified = jdbc.transaction(c -> {
            MailTokens.Stored stored = usable(verifications.lock(c, token), now, "verification");
            Optional<User> user = users.lockById(c, stored.userId());
            if (user.isEmpty() || !user.get().email().equals(stored.email())) {
                throw ProblemException.badRequest("This verification token is not valid.");
            }
            verifications.useAll(c, stored.userId(), now);
            users.markVerified(c, stored.userId(), now);
            return stored.userId();
        });
        cache.invalidate(verified);
    }

    // ---- password reset ----

    /** Mails a reset token when the account exists; the caller answers 202 either way. */
    public void forgotPassword(String rawEmail) {
        String email = requireEmail(rawEmail);
        Instant now = Jdbc.now();
        Optional<String[]> sent = jdbc.transaction(c -> {
            Optional<User> user = users.findByEmail(c, email);
            if (user.isEmpty() || user.get().disabled()) {
                return Optional.empty();
            }
            if (!limits.mailAllowed(user.get().id())) {
                metrics.mail("password_reset", "skipped");
                return Optional.empty();
            }
            return Optional.of(new String[] {user.get().email(), user.get().name(), resets.issue(c, user.get(), now)});
        });
        sent.ifPresent(m -> mails.passwordReset(m[0], m[1], m[2], resets.ttl()));
    }

    /** Sets a new password with a mailed token; every session of the account is revoked. */
    public void resetPassword(String token, String newPassword) {
        requireToken(token);
        List<Problem.FieldError> errors = policy.check("new_password", newPassword, null);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        Instant now = Jdbc.now();
        // Fail fast on a bad token before spending a hash on it; re-checked under lock below.
        jdbc.transaction(c -> usable(resets.lock(c, token), now, "reset"));
        String hash = hasher.hash(newPassword);
        String reset = jdbc.transaction(c -> {
            MailTokens.Stored stored = usable(resets.lock(c, token), now, "reset");
            Optional<User> user = users.lockById(c, stored.userId());
            if (user.isEmpty()) {
                throw ProblemException.badRequest("This reset token is not valid.");
            }
            List<Problem.FieldError> sameAsEmail = policy.check("new_password", newPassword, user.get().email());
            if (!sameAsEmail.isEmpty()) {
                throw ProblemException.validation(sameAsEmail);
            }
            resets.useAll(c, stored.userId(), now);
            users.setPasswordHash(c, stored.userId(), hash, now);
            // The mail reached its owner: the address is proven.
            if (user.get().email().equals(stored.email())) {
                users.markVerified(c, stored.userId(), now);
            }
            refreshTokens.revokeUser(c, stored.userId(), now);
            lockout.clear(c, user.get().email());
            return stored.userId();
        });
        cache.invalidate(reset);
    }

    // ---- the signed-in user's own account ----

    /** The caller's account (possibly from the short-lived cache); 401 when it was deleted or disabled. */
    public User current(String userId) {
        Optional<User> cached = cache.get(userId);
        if (cached.isPresent()) {
            return available(cached);
        }
        long started = System.nanoTime();
        Optional<User> read = jdbc.read(c -> users.findById(c, userId));
        read.ifPresent(u -> cache.put(u, started));
        return available(read);
    }

    /** The caller's account straight from the database (where its password hash is about to be checked). */
    private User fresh(String userId) {
        return available(jdbc.read(c -> users.findById(c, userId)));
    }

    private static User available(Optional<User> user) {
        return user.filter(u -> !u.disabled())
                .orElseThrow(() -> ProblemException.unauthorized("This account no longer exists or has been disabled."));
    }

    public User rename(String userId, String rawName) {
        String name = rawName == null ? null : rawName.strip();
        List<Problem.FieldError> errors = checkName(name);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        fresh(userId);
        jdbc.transaction(c -> {
            users.setName(c, userId, name, Jdbc.now());
            return null;
        });
        cache.invalidate(userId);
        return fresh(userId);
    }

    /** Changes the password after checking the current one; every other session is revoked. */
    public void changePassword(String userId, String sessionId, String currentPassword, String newPassword) {
        new plaza.platform.http.Validation().require("current_password", currentPassword).check();
        User user = fresh(userId);
        Instant now = Jdbc.now();
        Optional<java.time.Duration> locked = jdbc.transaction(c -> lockout.lockedFor(c, user.email(), now));
        if (locked.isPresent()) {
            throw ProblemException.tooManyRequests("Too many wrong passwords for this account; try again later.", locked.get());
        }
        if (!hasher.verify(user.passwordHash(), currentPassword)) {
            jdbc.transaction(c -> lockout.recordFailure(c, user.email(), Jdbc.now()))
                    .ifPresent(lock -> metrics.lockout());
            throw ProblemException.validation(List.of(new Problem.FieldError("current_password", "is not your current password")));
        }
        List<Problem.FieldError> errors = policy.check("new_password", newPassword, user.email());
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        String hash = hasher.hash(newPassword);
        jdbc.transaction(c -> {
            users.setPasswordHash(c, userId, hash, Jdbc.now());
            refreshTokens.revokeUserExcept(c, userId, sessionId, Jdbc.now());
            lockout.clear(c, user.email());
            return null;
        });
        cache.invalidate(userId);
    }

    /** Deletes the account and everything auth keeps about it. */
    public void delete(String userId) {
        jdbc.transaction(c -> {
            Optional<User> user = users.lockById(c, userId);
            if (user.isEmpty()) {
                throw ProblemException.unauthorized("This account no longer exists.");
            }
            users.delete(c, userId);
            lockout.clear(c, user.get().email());
            return null;
        });
        cache.invalidate(userId);
        LOG.log(Level.INFO, "Account " + userId + " was deleted by its owner");
    }

    // ---- admin ----

    /** One page of accounts and the total matching {@code query}. */
    public record Page(List<UserView> items, int page, int size, long total) {
    }

    public Page list(String query, int page, int size) {
        return jdbc.transaction(c -> new Page(users.search(c, query, (page - 1) * size, size).stream().map(UserView::of).toList(),
                                              page, size, users.count(c, query)));
    }

    public User get(String id) {
        return jdbc.read(c -> users.findById(c, id))
                .orElseThrow(() -> ProblemException.notFound("No account with id " + shorten(id) + "."));
    }

    /** Disables (every session revoked, no sign-in or refresh) or enables an account. */
    public User setDisabled(String adminId, String id, boolean disabled) {
        if (disabled && adminId.equals(id)) {
            throw ProblemException.conflict("You cannot disable your own account.");
        }
        Instant now = Jdbc.now();
        jdbc.transaction(c -> {
            if (users.lockById(c, id).isEmpty()) {
                throw ProblemException.notFound("No account with id " + shorten(id) + ".");
            }
            users.setDisabled(c, id, disabled, now);
            if (disabled) {
                refreshTokens.revokeUser(c, id, now);
            }
            return null;
        });
        cache.invalidate(id);
        LOG.log(Level.INFO, "Account " + id + (disabled ? " disabled" : " enabled") + " by admin " + adminId);
        return get(id);
    }

    /** Creates the first admin from config, or gives an existing account of that address the admin role. */
    public void ensureAdmin(String rawEmail, String password) {
        String email = Emails.normalize(rawEmail);
        if (!Emails.plausible(email)) {
            throw new IllegalStateException("auth.admin.email (env AUTH_ADMIN_EMAIL) is not an email address");
        }
        Optional<User> existing = jdbc.transaction(c -> users.findByEmail(c, email));
        if (existing.isPresent()) {
            if (!existing.get().isAdmin()) {
                jdbc.transaction(c -> {
                    users.addRoles(c, existing.get().id(), List.of(Roles.ADMIN));
                    return null;
                });
                LOG.log(Level.INFO, "Gave the admin role to the account configured as auth.admin.email");
            }
            return;
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalStateException("auth.admin.password (env AUTH_ADMIN_PASSWORD) is needed to create the first admin");
        }
        List<Problem.FieldError> errors = policy.check("auth.admin.password", password, email);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("auth.admin.password " + errors.getFirst().message());
        }
        Instant now = Jdbc.now();
        User admin = new User(UUID.randomUUID().toString(), email, "Administrator", hasher.hash(password), true, false,
                              Set.of(Roles.USER, Roles.ADMIN), now, now, null);
        try {
            jdbc.transaction(c -> {
                users.insert(c, admin);
                return null;
            });
            LOG.log(Level.INFO, "Created the first admin account from auth.admin.email");
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof SQLException sql && Jdbc.isDuplicateKey(sql))) {
                throw e; // otherwise another replica created it at the same moment
            }
        }
    }

    // ---- shared checks ----

    private static MailTokens.Stored usable(Optional<MailTokens.Stored> stored, Instant now, String what) {
        if (stored.isEmpty()) {
            throw ProblemException.badRequest("This " + what + " token is not valid. Request a new one.");
        }
        if (stored.get().used()) {
            throw ProblemException.badRequest("This " + what + " token has already been used. Request a new one.");
        }
        if (!stored.get().expiresAt().isAfter(now)) {
            throw ProblemException.badRequest("This " + what + " token has expired. Request a new one.");
        }
        return stored.get();
    }

    private static void requireToken(String token) {
        new plaza.platform.http.Validation().require("token", token).maxLength("token", token, 200).check();
    }

    private static String requireEmail(String rawEmail) {
        String email = Emails.normalize(rawEmail);
        new plaza.platform.http.Validation()
                .require("email", email)
                .check("email", email == null || email.isEmpty() || Emails.plausible(email), "must be an email address")
                .check();
        return email;
    }

    private static List<Problem.FieldError> checkName(String name) {
        if (name == null || name.isEmpty()) {
            return List.of(new Problem.FieldError("name", "is required"));
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME) {
            return List.of(new Problem.FieldError("name", "must be at most " + MAX_NAME + " characters"));
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            return List.of(new Problem.FieldError("name", "must not contain control characters"));
        }
        return List.of();
    }

    private static ProblemException emailTaken() {
        return ProblemException.conflict("An account with this email address already exists.");
    }

    private static String shorten(String id) {
        return id.length() > 40 ? id.substring(0, 40) + "…" : id;
    }
}
