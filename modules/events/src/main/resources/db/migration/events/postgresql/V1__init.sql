-- The behaviour log, partitioned by day on the stored (clock-skew corrected) time. The service creates
-- the partitions itself (a few days ahead, and on demand for backfills) and drops them after the retention.
CREATE TABLE events (
    feed_seq     bigint      NOT NULL,  -- position in the feed: assigned under feed_counter's row lock, so commit order
    message_id   text        NOT NULL,
    type         text        NOT NULL,  -- track, identify, page, screen, alias
    event        text,                  -- track: the event; page/screen: the name
    user_id      text,
    anonymous_id text,
    ts           timestamptz NOT NULL,  -- receivedAt - (sentAt - timestamp), or the client's timestamp, or receivedAt
    original_ts  timestamptz,           -- the client's timestamp as sent
    sent_at      timestamptz,
    received_at  timestamptz NOT NULL,
    payload      jsonb       NOT NULL   -- properties, traits, context, integrations, previousId, category
) PARTITION BY RANGE (ts);

CREATE INDEX events_ts ON events USING brin (ts);
CREATE INDEX events_feed ON events (feed_seq);
CREATE INDEX events_user ON events (user_id, ts) WHERE user_id IS NOT NULL;
CREATE INDEX events_anonymous ON events (anonymous_id, ts) WHERE anonymous_id IS NOT NULL;

-- Every messageId ever stored (while its event is retained): a unique key on the partitioned table would have
-- to include ts, and a retry's corrected time differs from the first attempt's.
CREATE TABLE event_ids (
    message_id text        PRIMARY KEY,
    ts         timestamptz NOT NULL
);
CREATE INDEX event_ids_ts ON event_ids (ts);

-- One row; writers on every replica take its lock just before commit, so feed numbers follow commit order.
CREATE TABLE feed_counter (
    id       int    PRIMARY KEY CHECK (id = 1),
    last_seq bigint NOT NULL
);
INSERT INTO feed_counter VALUES (1, 0);

-- Anonymous ids a signed-in identify (or alias) linked to a user: the first link wins.
CREATE TABLE identities (
    anonymous_id text        PRIMARY KEY,
    user_id      text        NOT NULL,
    linked_at    timestamptz NOT NULL
);
CREATE INDEX identities_user ON identities (user_id);
