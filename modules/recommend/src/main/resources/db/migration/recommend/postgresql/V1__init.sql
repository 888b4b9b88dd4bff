-- recommend's own tables. Behaviour arrives from events' /events/feed (never events' tables); products and
-- recipes from catalog's and recipe's HTTP APIs. Models are versioned: a rebuild writes a new version's rows,
-- then moves active_model to it in one statement, so every replica switches to a complete version.

-- Where the feed consumer is: one row, locked FOR UPDATE while a page is read and stored (one consumer at a time).
CREATE TABLE feed_cursor (
    id         int         PRIMARY KEY CHECK (id = 1),
    after_seq  bigint      NOT NULL,
    updated_at timestamptz NOT NULL
);
INSERT INTO feed_cursor VALUES (1, 0, now());

-- The events recommend understands, one row per (event, item): a purchase of three products is three rows.
CREATE TABLE interactions (
    feed_seq  bigint      NOT NULL,
    item_no   int         NOT NULL,   -- position inside the event (order lines)
    shopper   text        NOT NULL,   -- 'u:' user id, or 'a:' anonymous id
    kind      text        NOT NULL,   -- view, click, cart, wishlist, purchase, bookmark, search
    item      text,                   -- 'p:<product id>' or 'r:<recipe id>'; null for a search
    query     text,                   -- search words
    recomm_id text,                   -- the recommendation clicked, when the event carries one
    surface   text,
    ts        timestamptz NOT NULL,
    PRIMARY KEY (feed_seq, item_no)
);
CREATE INDEX interactions_shopper ON interactions (shopper, feed_seq DESC);
CREATE INDEX interactions_ts ON interactions USING brin (ts);
CREATE INDEX interactions_recomm ON interactions (recomm_id) WHERE recomm_id IS NOT NULL;

-- What recommend answered: one row per response (recommId), for impressions and click-through.
CREATE TABLE impressions (
    recomm_id text        PRIMARY KEY,
    surface   text        NOT NULL,
    shopper   text,
    items     int         NOT NULL,
    ts        timestamptz NOT NULL
);
CREATE INDEX impressions_ts ON impressions (ts);

CREATE TABLE model_versions (
    version     bigserial   PRIMARY KEY,
    state       text        NOT NULL,  -- building, ready, failed
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    error       text,
    summary     jsonb       NOT NULL DEFAULT '{}'
);

-- Every item the version knows: products (with the catalog facts at build time) and recipes, and its behaviour vector.
CREATE TABLE model_items (
    version bigint NOT NULL REFERENCES model_versions ON DELETE CASCADE,
    item    text   NOT NULL,
    facts   jsonb  NOT NULL,
    vector  real[],
    PRIMARY KEY (version, item)
);

-- Precomputed neighbour lists per item: list 'text', 'behaviour' or 'together'.
CREATE TABLE model_neighbours (
    version    bigint NOT NULL REFERENCES model_versions ON DELETE CASCADE,
    item       text   NOT NULL,
    list       text   NOT NULL,
    neighbours text[] NOT NULL,
    scores     real[] NOT NULL,
    PRIMARY KEY (version, item, list)
);

-- The version every replica serves; moved in one UPDATE when a rebuild succeeds.
CREATE TABLE active_model (
    id         int         PRIMARY KEY CHECK (id = 1),
    version    bigint      REFERENCES model_versions,
    switched_at timestamptz
);
INSERT INTO active_model VALUES (1, NULL, NULL);
