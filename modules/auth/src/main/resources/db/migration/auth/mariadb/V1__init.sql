-- auth: accounts, roles, refresh-token families, one-time mail tokens, login failures.
-- Times are UTC DATETIME(3) written by the service (never NOW()), so replicas agree on one clock source per write.

-- Seed 001's users table (email, user_id, name, password_hash, created_at, updated_at, last_login), keyed by
-- user_id; email is stored trimmed and lower-cased and is unique.
CREATE TABLE users (
    user_id        CHAR(36)     NOT NULL PRIMARY KEY,
    email          VARCHAR(320) NOT NULL,
    name           VARCHAR(400) NOT NULL,
    password_hash  VARCHAR(255) NOT NULL,
    email_verified BOOLEAN      NOT NULL DEFAULT FALSE,
    disabled       BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at     DATETIME(3)  NOT NULL,
    updated_at     DATETIME(3)  NOT NULL,
    last_login     DATETIME(3)  NULL,
    CONSTRAINT uq_users_email UNIQUE (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE user_roles (
    user_id CHAR(36)    NOT NULL,
    role    VARCHAR(64) NOT NULL,
    PRIMARY KEY (user_id, role),
    CONSTRAINT fk_user_roles_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Refresh tokens: only the SHA-256 of the opaque token is kept. A family is one sign-in (one session);
-- every rotation adds a row to it, and reuse of a rotated token outside the grace window revokes the family.
CREATE TABLE refresh_tokens (
    token_hash  CHAR(64) CHARACTER SET ascii COLLATE ascii_bin  NOT NULL PRIMARY KEY,
    family_id   CHAR(36)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    user_id     CHAR(36)    NOT NULL,
    created_at  DATETIME(3) NOT NULL,
    expires_at  DATETIME(3) NOT NULL,
    rotated_at  DATETIME(3) NULL,
    revoked_at  DATETIME(3) NULL,
    CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX ix_refresh_tokens_expires ON refresh_tokens (expires_at);

-- Seed 001's password resets (email, reset_token, expires_at, created_at, used); reset_token holds the SHA-256
-- of the token that was mailed, never the token.
CREATE TABLE password_resets (
    reset_token CHAR(64) CHARACTER SET ascii COLLATE ascii_bin  NOT NULL PRIMARY KEY,
    email       VARCHAR(320) NOT NULL,
    user_id     CHAR(36)     NOT NULL,
    expires_at  DATETIME(3)  NOT NULL,
    created_at  DATETIME(3)  NOT NULL,
    used        BOOLEAN      NOT NULL DEFAULT FALSE,
    used_at     DATETIME(3)  NULL,
    CONSTRAINT fk_password_resets_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX ix_password_resets_user ON password_resets (user_id);

-- Email verification tokens, same shape.
CREATE TABLE email_verifications (
    verification_token CHAR(64) CHARACTER SET ascii COLLATE ascii_bin  NOT NULL PRIMARY KEY,
    email              VARCHAR(320) NOT NULL,
    user_id            CHAR(36)     NOT NULL,
    expires_at         DATETIME(3)  NOT NULL,
    created_at         DATETIME(3)  NOT NULL,
    used               BOOLEAN      NOT NULL DEFAULT FALSE,
    used_at            DATETIME(3)  NULL,
    CONSTRAINT fk_email_verifications_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX ix_email_verifications_user ON email_verifications (user_id);

-- Failed sign-ins per account, keyed by the SHA-256 of the normalised email so that an address that has no
-- account is locked out exactly like one that has (no enumeration through lockout).
CREATE TABLE login_failures (
    email_hash   CHAR(64) CHARACTER SET ascii COLLATE ascii_bin  NOT NULL PRIMARY KEY,
    failures     INT         NOT NULL,
    last_failure DATETIME(3) NOT NULL,
    locked_until DATETIME(3) NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
