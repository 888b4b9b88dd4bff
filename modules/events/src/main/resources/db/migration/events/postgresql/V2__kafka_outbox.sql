-- The transactional outbox of the Kafka publication (docs/events.md, "Kafka"): with events.kafka.bootstrap-servers
-- set, the group commit that stores events writes their Kafka records here in the same transaction; the publisher
-- sends them in feed order and deletes them only after the broker has committed them. Without Kafka it stays empty.
CREATE TABLE events_outbox (
    feed_seq    bigint PRIMARY KEY,  -- the event's feed number: the publication order
    message_key text   NOT NULL,     -- the Kafka key: userId, else anonymousId
    message     jsonb  NOT NULL,     -- the record's value: the event as the feed shows it
    received_at timestamptz NOT NULL -- for the lag gauge (events_outbox_lag_seconds)
);
