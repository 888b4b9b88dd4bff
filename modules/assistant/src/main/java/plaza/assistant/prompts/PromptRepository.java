package plaza.assistant.prompts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

/** Owns {@code prompts}. A shared prompt has no owner. */
public final class PromptRepository {

    private static final String COLUMNS = "id, owner_id, name, description, template, created_at, updated_at";
    private final DataSource dataSource;

    public PromptRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Prompt create(String ownerId, String name, String description, String template) {
        return one("insert into prompts (id, owner_id, name, description, template) values (?, ?, ?, ?, ?) returning " + COLUMNS,
                   UUID.randomUUID(), ownerId, name, description, template).orElseThrow();
    }

    /** A prompt {@code userId} may see: their own or a shared one. */
    public Optional<Prompt> visible(String userId, UUID id) {
        return one("select " + COLUMNS + " from prompts where id = ? and (owner_id = ? or owner_id is null)", id, userId);
    }

    /** The user's own prompts and the shared ones, shared first, then by name. */
    public List<Prompt> list(String userId) {
        return many("select " + COLUMNS + " from prompts where owner_id = ? or owner_id is null "
                    + "order by (owner_id is null) desc, lower(name), id", userId);
    }

    public Optional<Prompt> update(UUID id, String name, String description, String template) {
        return one("update prompts set name = ?, description = ?, template = ?, updated_at = now() where id = ? returning " + COLUMNS,
                   name, description, template, id);
    }

    public boolean delete(UUID id) {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("delete from prompts where id = ?")) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Deleting a prompt failed", e);
        }
    }

    private Optional<Prompt> one(String sql, Object... params) {
        List<Prompt> rows = many(sql, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    private List<Prompt> many(String sql, Object... params) {
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Prompt> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String template = rs.getString("template");
                    String owner = rs.getString("owner_id");
                    out.add(new Prompt(rs.getObject("id", UUID.class), owner, rs.getString("name"), rs.getString("description"),
                                       template, List.copyOf(new PromptTemplate(template).variables()), owner == null,
                                       rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading prompts failed", e);
        }
    }
}
