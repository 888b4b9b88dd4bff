-- A change marker for the in-memory product search index (plaza.catalog.search): every product write
-- bumps the one row in the same transaction, and each replica polls it to know when to reload.

CREATE TABLE product_revision (
    id        TINYINT  NOT NULL PRIMARY KEY,
    revision  BIGINT   NOT NULL
) ENGINE=InnoDB;

INSERT INTO product_revision (id, revision) VALUES (1, 0);
