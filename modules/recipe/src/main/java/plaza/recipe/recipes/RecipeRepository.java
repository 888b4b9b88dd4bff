package plaza.recipe.recipes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import plaza.platform.db.SearchKeys;
import plaza.platform.db.Transactions;

/** Owns {@code recipes}, {@code recipe_ingredients}, {@code recipe_steps} and {@code recipe_tags}. */
public final class RecipeRepository {

    private final DataSource dataSource;
    private final Clock clock;

    public RecipeRepository(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** A recipe search: {@code terms} all match (title, ingredients, tags), optional tag and time limit. */
    public record Query(String phrase, List<String> terms, String tag, Integer maxMinutes, int page, int size) {
    }

    public record Page<T>(List<T> items, long total) {
    }

    public Page<Recipe.Summary> search(Query q) {
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        List<Object> params = new ArrayList<>();
        for (String term : q.terms()) {
            where.append(" AND r.search_key LIKE ?");
            params.add(SearchKeys.contains(term));
        }
        if (q.tag() != null) {
            where.append(" AND EXISTS (SELECT 1 FROM recipe_tags t WHERE t.recipe_id = r.id AND t.tag = ?)");
            params.add(q.tag());
        }
        if (q.maxMinutes() != null) {
            where.append(" AND r.minutes <= ?");
            params.add(q.maxMinutes());
        }
        List<Object> pageParams = new ArrayList<>();
        String order = "r.id ASC";
        String score = "";
        if (!q.terms().isEmpty()) {
            score = ", ((r.title_key = ?) * 100 + (r.title_key LIKE ?) * 50 + (r.title_key LIKE ?) * 30"
                    + " + (r.title_key LIKE ?) * 10".repeat(q.terms().size()) + ") AS score";
            pageParams.add(q.phrase());
            pageParams.add(SearchKeys.prefix(q.phrase()));
            pageParams.add(SearchKeys.contains(q.phrase()));
            q.terms().forEach(t -> pageParams.add(SearchKeys.contains(t)));
            order = "score DESC, r.id ASC";
        }
        pageParams.addAll(params);
        pageParams.add(q.size());
        pageParams.add((long) (q.page() - 1) * q.size());
        try (Connection c = dataSource.getConnection()) {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "SELECT r.id" + score + " FROM recipes r" + where + " ORDER BY " + order
                    + " LIMIT ? OFFSET ?", pageParams); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            long total;
            try (PreparedStatement ps = prepare(c, "SELECT COUNT(*) FROM recipes r" + where, params); ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            return new Page<>(load(c, ids, false).stream().map(Recipe::toSummary).toList(), total);
        } catch (SQLException e) {
            throw new IllegalStateException("Recipe search failed", e);
        }
    }

    /** How much of a recipe the ingredients at hand cover. */
    public record Coverage(Recipe.Summary recipe, double coverage, int matchedCount, int neededCount, List<String> matched,
                           List<Recipe.Ingredient> missing) {
    }

    /**
     * Recipes that use at least one of {@code have} (search keys), best covered first: the share of
     * non-optional ingredients at hand, then more matches, then fewer ingredients, then id. An
     * ingredient is at hand when its name contains one of {@code have} ({@code 두부} covers {@code 부침두부}).
     */
    public Page<Coverage> byIngredients(List<String> have, int page, int size) {
        String match = have.stream().map(h -> "i.name_key LIKE ?").collect(Collectors.joining(" OR ", "(", ")"));
        List<Object> likes = have.stream().map(h -> (Object) SearchKeys.contains(h)).toList();
        String grouped = "SELECT i.recipe_id AS id, SUM(NOT i.optional) AS needed, SUM(NOT i.optional AND " + match + ") AS matched "
                + "FROM recipe_ingredients i GROUP BY i.recipe_id HAVING matched > 0";
        List<Object> params = new ArrayList<>(likes);
        params.add(size);
        params.add((long) (page - 1) * size);
        try (Connection c = dataSource.getConnection()) {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "SELECT id FROM (" + grouped + ") x "
                    + "ORDER BY x.matched / x.needed DESC, x.matched DESC, x.needed ASC, x.id ASC LIMIT ? OFFSET ?",
                                                params); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            long total;
            try (PreparedStatement ps = prepare(c, "SELECT COUNT(*) FROM (" + grouped + ") x", likes); ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            List<Coverage> items = new ArrayList<>();
            for (Recipe r : load(c, ids, true)) {
                List<String> matched = new ArrayList<>();
                List<Recipe.Ingredient> missing = new ArrayList<>();
                int needed = 0;
                for (Recipe.Ingredient i : r.ingredients()) {
                    if (i.optional()) {
                        continue;
                    }
                    needed++;
                    String key = SearchKeys.key(i.name());
                    if (have.stream().anyMatch(key::contains)) {
                        matched.add(i.name());
                    } else {
                        missing.add(i);
                    }
                }
                double coverage = needed == 0 ? 0 : Math.round(matched.size() * 1000.0 / needed) / 1000.0;
                items.add(new Coverage(r.toSummary(), coverage, matched.size(), needed, matched, missing));
            }
            return new Page<>(items, total);
        } catch (SQLException e) {
            throw new IllegalStateException("Recipe ranking failed", e);
        }
    }

    public Optional<Recipe> find(long id) {
        try (Connection c = dataSource.getConnection()) {
            return load(c, List.of(id), true).stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("Recipe lookup failed", e);
        }
    }

    public boolean exists(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM recipes WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Recipe lookup failed", e);
        }
    }

    public boolean isEmpty() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM recipes LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return !rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException("Recipe count failed", e);
        }
    }

    /** Recipes by id, in the order of {@code ids}, with tags (and ingredients and steps when {@code full}). */
    public List<Recipe> load(Connection c, List<Long> ids, boolean full) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        String marks = ids.stream().map(i -> "?").collect(Collectors.joining(","));
        List<Object> params = List.copyOf(ids);
        Map<Long, List<String>> tags = new LinkedHashMap<>();
        try (PreparedStatement ps = prepare(c, "SELECT recipe_id, tag FROM recipe_tags WHERE recipe_id IN (" + marks + ") ORDER BY recipe_id, tag", params);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tags.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        Map<Long, List<Recipe.Ingredient>> ingredients = new LinkedHashMap<>();
        Map<Long, List<String>> steps = new LinkedHashMap<>();
        if (full) {
            try (PreparedStatement ps = prepare(c, "SELECT recipe_id, name, quantity, optional FROM recipe_ingredients WHERE recipe_id IN ("
                    + marks + ") ORDER BY recipe_id, position", params); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ingredients.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new Recipe.Ingredient(rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
            try (PreparedStatement ps = prepare(c, "SELECT recipe_id, text FROM recipe_steps WHERE recipe_id IN (" + marks
                    + ") ORDER BY recipe_id, position", params); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        Map<Long, Recipe> byId = new LinkedHashMap<>();
        try (PreparedStatement ps = prepare(c, "SELECT id, title, summary, servings, minutes, difficulty, image_url, created_at, updated_at "
                + "FROM recipes WHERE id IN (" + marks + ")", params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                byId.put(id, new Recipe(id, rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getString(6),
                                        rs.getString(7), full ? ingredients.getOrDefault(id, List.of()) : null,
                                        full ? steps.getOrDefault(id, List.of()) : null, tags.getOrDefault(id, List.of()),
                                        instant(rs, 8), instant(rs, 9)));
            }
        }
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    /** Creates a recipe, or with an id replaces it with its ingredients, steps and tags; answers its id. */
    public long upsert(Connection c, RecipeInput r) throws SQLException {
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        List<String> searchFields = new ArrayList<>();
        searchFields.add(r.title());
        r.ingredients().forEach(i -> searchFields.add(i.name()));
        searchFields.addAll(r.tags());
        String searchKey = SearchKeys.record(searchFields);
        if (searchKey.length() > 3000) {
            searchKey = searchKey.substring(0, 3000);
        }
        String sql = "INSERT INTO recipes (id, title, summary, servings, minutes, difficulty, image_url, title_key, search_key, "
                + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE title = VALUES(title), "
                + "summary = VALUES(summary), servings = VALUES(servings), minutes = VALUES(minutes), difficulty = VALUES(difficulty), "
                + "image_url = VALUES(image_url), title_key = VALUES(title_key), search_key = VALUES(search_key), updated_at = VALUES(updated_at)";
        long id;
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setObject(1, r.id());
            ps.setString(2, r.title());
            ps.setString(3, r.summary());
            ps.setInt(4, r.servings());
            ps.setInt(5, r.minutes());
            ps.setString(6, r.difficulty());
            ps.setString(7, r.imageUrl());
            ps.setString(8, SearchKeys.key(r.title()));
            ps.setString(9, searchKey);
            ps.setObject(10, now);
            ps.setObject(11, now);
            ps.executeUpdate();
            if (r.id() != null) {
                id = r.id();
            } else {
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
        }
        // A new recipe has no rows to replace; a DELETE that finds none still gap-locks where parallel
        // creates insert theirs, and deadlocked them.
        for (String table : r.id() == null ? List.<String>of() : List.of("recipe_ingredients", "recipe_steps", "recipe_tags")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE recipe_id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO recipe_ingredients (recipe_id, position, name, name_key, quantity, optional) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < r.ingredients().size(); i++) {
                RecipeInput.IngredientInput in = r.ingredients().get(i);
                ps.setLong(1, id);
                ps.setInt(2, i);
                ps.setString(3, in.name());
                ps.setString(4, SearchKeys.key(in.name()));
                ps.setString(5, in.quantity());
                ps.setBoolean(6, in.optional());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO recipe_steps (recipe_id, position, text) VALUES (?, ?, ?)")) {
            for (int i = 0; i < r.steps().size(); i++) {
                ps.setLong(1, id);
                ps.setInt(2, i);
                ps.setString(3, r.steps().get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!r.tags().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO recipe_tags (recipe_id, tag) VALUES (?, ?)")) {
                for (String tag : r.tags()) {
                    ps.setLong(1, id);
                    ps.setString(2, tag);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return id;
    }

    /** Creates (id null) or replaces recipe {@code r.id()} in one transaction. */
    public long save(RecipeInput r) {
        try {
            return Transactions.run(dataSource, c -> upsert(c, r));
        } catch (SQLException e) {
            throw new IllegalStateException("Recipe write failed", e);
        }
    }

    public boolean delete(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM recipes WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("Recipe delete failed", e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }
}
