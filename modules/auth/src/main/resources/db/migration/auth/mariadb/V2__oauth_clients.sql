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
