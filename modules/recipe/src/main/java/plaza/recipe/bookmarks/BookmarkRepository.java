package plaza.recipe.bookmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import plaza.recipe.recipes.Recipe;
import plaza.recipe.recipes.RecipeRepository;

/** Owns {@code bookmarks}: the recipes each signed-in user saved. */
public final class BookmarkRepository {

    private final DataSource dataSource;
    private final RecipeRepository recipes;
    private final Clock clock;

    public BookmarkRepository(DataSource dataSource, RecipeRepository recipes, Clock clock) {
        this.dataSource = dataSource;
        this.recipes = recipes;
        this.clock = clock;
    }

    public record Entry(Recipe.Summary recipe, Instant bookmarkedAt) {
    }

    public record Page(List<Entry> items, long total) {
    }

    /** Bookmarks a recipe (again is fine); false when there is no such recipe. */
    public boolean add(String userId, long recipeId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bookmarks (user_id, recipe_id, created_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE user_id = user_id")) {
            ps.setString(1, userId);
            ps.setLong(2, recipeId);
            ps.setObject(3, LocalDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false; // the recipe does not exist
            }
            throw new IllegalStateException("Bookmark add failed", e);
        }
    }

    public boolean remove(String userId, long recipeId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM bookmarks WHERE user_id = ? AND recipe_id = ?")) {
            ps.setString(1, userId);
            ps.setLong(2, recipeId);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("Bookmark remove failed", e);
        }
    }

    /** The user's bookmarks, newest first. */
    public Page list(String userId, int page, int size) {
        try (Connection c = dataSource.getConnection()) {
            Map<Long, Instant> when = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT recipe_id, created_at FROM bookmarks WHERE user_id = ? "
                    + "ORDER BY created_at DESC, recipe_id DESC LIMIT ? OFFSET ?")) {
                ps.setString(1, userId);
                ps.setInt(2, size);
                ps.setLong(3, (long) (page - 1) * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        when.put(rs.getLong(1), rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC));
                    }
                }
            }
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM bookmarks WHERE user_id = ?")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Entry> items = new ArrayList<>();
            for (Recipe r : recipes.load(c, List.copyOf(when.keySet()), false)) {
                items.add(new Entry(r.toSummary(), when.get(r.id())));
            }
            return new Page(items, total);
        } catch (SQLException e) {
            throw new IllegalStateException("Bookmark listing failed", e);
        }
    }
}
