-- Plaza chat: groups with a per-group event sequence, durable messages, live connections and
-- presence (seed 002's Connections table), read markers.

-- One row per group. last_seq is the group's event counter: every message, edit and delete
-- takes last_seq + 1 in its own transaction (the row lock serialises a group, so seq order is
-- commit order). purged_seq: events up to here were removed by retention.
CREATE TABLE chat_groups (
    group_id    VARCHAR(64)  PRIMARY KEY,
    last_seq    BIGINT       NOT NULL DEFAULT 0,
    purged_seq  BIGINT       NOT NULL DEFAULT 0,
    is_private  BOOLEAN      NOT NULL DEFAULT FALSE,
    created_by  VARCHAR(255) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Members of private groups (the creator and whoever the creator invited).
CREATE TABLE chat_group_members (
    group_id   VARCHAR(64)  NOT NULL REFERENCES chat_groups (group_id) ON DELETE CASCADE,
    user_id    VARCHAR(255) NOT NULL,
    added_by   VARCHAR(255) NOT NULL,
    added_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, user_id)
);

-- seq: the event that created the message; version_seq: the latest event that touched it
-- (= seq until edited or deleted). Replays read "version_seq > since".
CREATE TABLE chat_messages (
    message_id   UUID          PRIMARY KEY,
    group_id     VARCHAR(64)   NOT NULL REFERENCES chat_groups (group_id) ON DELETE CASCADE,
    seq          BIGINT        NOT NULL,
    version_seq  BIGINT        NOT NULL,
    sender_id    VARCHAR(255)  NOT NULL,
    sender_name  VARCHAR(255)  NOT NULL,
    body         TEXT,
    created_at   TIMESTAMPTZ   NOT NULL,
    edited_at    TIMESTAMPTZ,
    deleted_at   TIMESTAMPTZ,
    CONSTRAINT chat_messages_group_seq UNIQUE (group_id, seq)
);
CREATE INDEX chat_messages_group_version ON chat_messages (group_id, version_seq);
CREATE INDEX chat_messages_created ON chat_messages (created_at);

-- Replicas announce themselves here; connections of a replica whose heartbeat expired are removed
-- by the survivors.
CREATE TABLE chat_replicas (
    replica_id    VARCHAR(64) PRIMARY KEY,
    started_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Seed 002's Connections table: the connection, its user, its replica, since when.
CREATE TABLE chat_connections (
    connection_id  UUID         PRIMARY KEY,
    user_id        VARCHAR(255) NOT NULL,
    user_name      VARCHAR(255) NOT NULL,
    replica_id     VARCHAR(64)  NOT NULL,
    connected_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX chat_connections_replica ON chat_connections (replica_id);

-- The groups each connection joined (the seed's GroupIdIndex): presence is read from here.
CREATE TABLE chat_connection_groups (
    connection_id  UUID        NOT NULL REFERENCES chat_connections (connection_id) ON DELETE CASCADE,
    group_id       VARCHAR(64) NOT NULL,
    joined_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, group_id)
);
CREATE INDEX chat_connection_groups_group ON chat_connection_groups (group_id);

-- Read markers: the highest seq a user has read in a group.
CREATE TABLE chat_reads (
    group_id       VARCHAR(64)  NOT NULL REFERENCES chat_groups (group_id) ON DELETE CASCADE,
    user_id        VARCHAR(255) NOT NULL,
    last_read_seq  BIGINT       NOT NULL,
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, user_id)
);
