-- Kok products, wishlists and the home-shopping schedule. Times are UTC (DATETIME(6));
-- search columns are lower-cased, whitespace-free and binary-collated (see ProductText).

CREATE TABLE products (
    id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name           VARCHAR(200)  NOT NULL,
    brand          VARCHAR(100)  NOT NULL DEFAULT '',
    category       VARCHAR(50)   NOT NULL,
    price          INT           NOT NULL,
    sale_price     INT           NOT NULL,
    discount_rate  INT           NOT NULL,
    image_url      VARCHAR(500)  NULL,
    stock          INT           NOT NULL,
    description    TEXT          NULL,
    rating         DECIMAL(2,1)  NOT NULL DEFAULT 0.0,
    review_count   INT           NOT NULL DEFAULT 0,
    keywords       VARCHAR(1000) NOT NULL DEFAULT '',
    name_key       VARCHAR(200)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    search_key     VARCHAR(1500) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    created_at     DATETIME(6)   NOT NULL,
    updated_at     DATETIME(6)   NOT NULL,
    KEY products_category (category, review_count, id),
    KEY products_popular (review_count, rating, id),
    KEY products_price (sale_price, id),
    KEY products_newest (created_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE wishlist (
    user_id     VARCHAR(100) NOT NULL,
    product_id  BIGINT       NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (user_id, product_id),
    KEY wishlist_user_newest (user_id, created_at),
    CONSTRAINT wishlist_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE channels (
    code        VARCHAR(40)  NOT NULL PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    created_at  DATETIME(6)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE broadcasts (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    channel_code  VARCHAR(40)  NOT NULL,
    title         VARCHAR(200) NOT NULL,
    starts_at     DATETIME(6)  NOT NULL,
    ends_at       DATETIME(6)  NOT NULL,
    created_at    DATETIME(6)  NOT NULL,
    updated_at    DATETIME(6)  NOT NULL,
    KEY broadcasts_start (starts_at, ends_at),
    KEY broadcasts_end (ends_at),
    KEY broadcasts_channel_start (channel_code, starts_at),
    CONSTRAINT broadcasts_channel FOREIGN KEY (channel_code) REFERENCES channels (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE broadcast_products (
    broadcast_id  BIGINT NOT NULL,
    position      INT    NOT NULL,
    product_id    BIGINT NOT NULL,
    PRIMARY KEY (broadcast_id, position),
    UNIQUE KEY broadcast_products_unique (broadcast_id, product_id),
    KEY broadcast_products_product (product_id),
    CONSTRAINT broadcast_products_broadcast FOREIGN KEY (broadcast_id) REFERENCES broadcasts (id) ON DELETE CASCADE,
    CONSTRAINT broadcast_products_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
