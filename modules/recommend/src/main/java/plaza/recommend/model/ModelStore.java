package plaza.recommend.model;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import plaza.platform.db.Transactions;
import plaza.platform.http.Json;

/**
 * Model versions in PostgreSQL (tables {@code model_versions}, {@code model_items}, {@code model_neighbours},
 * {@code active_model}). A version is written completely while {@code building}; {@link #activate} marks it
 * ready and moves {@code active_model} in one transaction, so no replica ever loads half a version.
 */
public final class ModelStore {

    private static final String TRENDING = "_trending";

    private final DataSource dataSource;

    public ModelStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public long begin(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO model_versions (state, started_at) VALUES ('building', ?) RETURNING version")) {
            ps.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Writes every row of {@code model} under its version (still {@code building}). */
    public void write(Model model) throws SQLException {
        Transactions.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_items (version, item, facts, vector) VALUES (?, ?, ?::jsonb, ?)")) {
                int n = 0;
                for (Item item : model.items().values()) {
                    ps.setLong(1, model.version());
                    ps.setString(2, item.key());
                    ps.setString(3, Json.write(item));
                    float[] v = model.vectors().get(item.key());
                    ps.setArray(4, v == null ? null : c.createArrayOf("float4", box(v)));
                    ps.addBatch();
                    if (++n % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO model_neighbours (version, item, list, neighbours, scores) VALUES (?, ?, ?, ?, ?)")) {
                int[] n = {0};
                for (Map.Entry<String, Map<String, List<Scored>>> list : Map.of("text", model.text(), "behaviour", model.behaviour(),
                                                                                  "together", model.together()).entrySet()) {
                    for (Map.Entry<String, List<Scored>> e : list.getValue().entrySet()) {
                        addList(c, ps, model.version(), e.getKey(), list.getKey(), e.getValue(), n);
                    }
                }
                for (Map.Entry<String, List<Scored>> e : model.trending().entrySet()) {
                    addList(c, ps, model.version(), TRENDING, e.getKey(), e.getValue(), n);
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static void addList(Connection c, PreparedStatement ps, long version, String item, String list, List<Scored> scored, int[] n)
            throws SQLException {
        ps.setLong(1, version);
        ps.setString(2, item);
        ps.setString(3, list);
        ps.setArray(4, c.createArrayOf("text", scored.stream().map(Scored::item).toArray()));
        ps.setArray(5, c.createArrayOf("float4", scored.stream().map(s -> (float) s.score()).toArray()));
        ps.addBatch();
        if (++n[0] % 1000 == 0) {
            ps.executeBatch();
        }
    }

    private static Float[] box(float[] v) {
        Float[] boxed = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            boxed[i] = v[i];
        }
        return boxed;
    }

    /** Marks {@code version} ready and makes it the one served, at once; older versions beyond {@code keep} go. */
    public void activate(long version, Instant now, Map<String, Object> summary, int keep) throws SQLException {
        Transactions.run(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE model_versions SET state = 'ready', finished_at = ?, summary = ?::jsonb WHERE version = ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, Json.write(summary));
                ps.setLong(3, version);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE active_model SET version = ?, switched_at = ? WHERE id = 1")) {
                ps.setLong(1, version);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM model_versions WHERE version < ? AND version NOT IN "
                    + "(SELECT version FROM model_versions WHERE state = 'ready' ORDER BY version DESC LIMIT ?)")) {
                ps.setLong(1, version);
                ps.setInt(2, keep);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void fail(long version, Instant now, String error) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE model_versions SET state = 'failed', finished_at = ?, error = ? WHERE version = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, error.length() > 2000 ? error.substring(0, 2000) : error);
            ps.setLong(3, version);
            ps.executeUpdate();
        }
    }

    public Optional<Long> activeVersion() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM active_model WHERE id = 1")) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(v);
        }
    }

    /** The last versions, newest first: version, state, startedAt, finishedAt, error, summary. */
    public List<Map<String, Object>> versions(int limit) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version, state, started_at, finished_at, error, summary::text FROM model_versions ORDER BY version DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("version", rs.getLong(1));
                    v.put("state", rs.getString(2));
                    v.put("startedAt", rs.getTimestamp(3).toInstant().toString());
                    Timestamp finished = rs.getTimestamp(4);
                    v.put("finishedAt", finished == null ? null : finished.toInstant().toString());
                    v.put("error", rs.getString(5));
                    v.put("summary", Json.parse(rs.getString(6)));
                    out.add(v);
                }
            }
        }
        return out;
    }

    public Model load(long version) throws SQLException {
        Map<String, Item> items = new LinkedHashMap<>();
        Map<String, float[]> vectors = new HashMap<>();
        Map<String, Map<String, List<Scored>>> lists = new HashMap<>();
        Instant builtAt;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(finished_at, started_at) FROM model_versions WHERE version = ?")) {
                ps.setLong(1, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("Model version " + version + " is gone");
                    }
                    builtAt = rs.getTimestamp(1).toInstant();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT item, facts::text, vector FROM model_items WHERE version = ? ORDER BY item")) {
                ps.setLong(1, version);
                ps.setFetchSize(2000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JsonNode facts = Json.parse(rs.getString(2));
                        items.put(rs.getString(1), Json.convert(facts, Item.class));
                        Array v = rs.getArray(3);
                        if (v != null) {
                            Float[] boxed = (Float[]) v.getArray();
                            float[] f = new float[boxed.length];
                            for (int i = 0; i < f.length; i++) {
                                f[i] = boxed[i];
                            }
                            vectors.put(rs.getString(1), f);
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT item, list, neighbours, scores FROM model_neighbours WHERE version = ?")) {
                ps.setLong(1, version);
                ps.setFetchSize(2000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String item = rs.getString(1);
                        String list = rs.getString(2);
                        String[] keys = (String[]) rs.getArray(3).getArray();
                        Float[] scores = (Float[]) rs.getArray(4).getArray();
                        List<Scored> scored = new ArrayList<>(keys.length);
                        for (int i = 0; i < keys.length; i++) {
                            scored.add(new Scored(keys[i], scores[i]));
                        }
                        String group = TRENDING.equals(item) ? "trending" : list;
                        lists.computeIfAbsent(group, g -> new HashMap<>()).put(TRENDING.equals(item) ? list : item, scored);
                    }
                }
            }
        }
        return new Model(version, builtAt, items, lists.getOrDefault("text", Map.of()), lists.getOrDefault("behaviour", Map.of()),
                         lists.getOrDefault("together", Map.of()), vectors, lists.getOrDefault("trending", Map.of()));
    }
}
