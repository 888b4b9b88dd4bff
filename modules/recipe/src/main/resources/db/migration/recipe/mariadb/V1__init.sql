-- Recipes, their ingredients, steps and tags, and bookmarks. Times are UTC (DATETIME(6));
-- *_key columns are search keys (lower-cased, no whitespace, binary collation; see SearchKeys).

CREATE TABLE recipes (
    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title       VARCHAR(200)  NOT NULL,
    summary     VARCHAR(1000) NOT NULL DEFAULT '',
    servings    INT           NOT NULL,
    minutes     INT           NOT NULL,
    difficulty  VARCHAR(10)   NOT NULL,
    image_url   VARCHAR(500)  NULL,
    title_key   VARCHAR(200)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    search_key  VARCHAR(3000) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    created_at  DATETIME(6)   NOT NULL,
    updated_at  DATETIME(6)   NOT NULL,
    KEY recipes_minutes (minutes, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE recipe_ingredients (
    recipe_id  BIGINT       NOT NULL,
    position   INT          NOT NULL,
    name       VARCHAR(100) NOT NULL,
    name_key   VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    quantity   VARCHAR(50)  NOT NULL DEFAULT '',
    optional   BOOLEAN      NOT NULL DEFAULT FALSE,
    PRIMARY KEY (recipe_id, position),
    KEY recipe_ingredients_name (name_key),
    CONSTRAINT recipe_ingredients_recipe FOREIGN KEY (recipe_id) REFERENCES recipes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE recipe_steps (
    recipe_id  BIGINT        NOT NULL,
    position   INT           NOT NULL,
    text       VARCHAR(2000) NOT NULL,
    PRIMARY KEY (recipe_id, position),
    CONSTRAINT recipe_steps_recipe FOREIGN KEY (recipe_id) REFERENCES recipes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE recipe_tags (
    recipe_id  BIGINT      NOT NULL,
    tag        VARCHAR(40) NOT NULL,
    PRIMARY KEY (recipe_id, tag),
    KEY recipe_tags_tag (tag, recipe_id),
    CONSTRAINT recipe_tags_recipe FOREIGN KEY (recipe_id) REFERENCES recipes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE bookmarks (
    user_id     VARCHAR(100) NOT NULL,
    recipe_id   BIGINT       NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (user_id, recipe_id),
    KEY bookmarks_user_newest (user_id, created_at),
    CONSTRAINT bookmarks_recipe FOREIGN KEY (recipe_id) REFERENCES recipes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
