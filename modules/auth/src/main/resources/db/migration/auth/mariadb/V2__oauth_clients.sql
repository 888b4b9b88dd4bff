-- OAuth 2.0 clients registered through the admin API (clients from config are kept in memory only).
-- Only the SHA-256 of a client secret is kept; public clients have none. Lists are space-separated.
CREATE TABLE oauth_clients (
    client_id                 VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    secret_hash               CHAR(64)     CHARACTER SET ascii COLLATE ascii_bin NULL,
    name                      VARCHAR(200) NOT NULL,
    first_party               BOOLEAN      NOT NULL DEFAULT FALSE,
    redirect_uris             TEXT         NOT NULL,
    scopes                    TEXT         NOT NULL,
    grant_types               TEXT         NOT NULL,
    access_token_ttl_seconds  INT          NOT NULL,
    refresh_token_ttl_seconds INT          NOT NULL,
    created_at                DATETIME(3)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Authorization codes (RFC 6749 §4.1): SHA-256 of the code, single use, short-lived. A redeemed code keeps the
-- session it started (family_id), so presenting it again revokes that session (§4.1.2). In the database, not in
-- memory, because the sign-in page and the token request may reach different replicas.
CREATE TABLE oauth_codes (
    code_hash      CHAR(64)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    client_id      VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    user_id        CHAR(36)     NOT NULL,
    redirect_uri   TEXT         NOT NULL,
    scope          TEXT         NOT NULL,
    nonce          VARCHAR(512) NULL,
    code_challenge VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    auth_time      DATETIME(3)  NOT NULL,
    expires_at     DATETIME(3)  NOT NULL,
    used_at        DATETIME(3)  NULL,
    family_id      CHAR(36)     CHARACTER SET ascii COLLATE ascii_bin NULL,
    CONSTRAINT fk_oauth_codes_user FOREIGN KEY (user_id) REFERENCES users (user_id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A session started through an OAuth client is bound to it: its refresh tokens rotate only through that client
-- (RFC 6749 §6), with that client's refresh-token lifetime. NULL: a session of the JSON login.
ALTER TABLE refresh_tokens ADD COLUMN client_id VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NULL;
