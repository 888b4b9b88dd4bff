package plaza.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import io.helidon.health.HealthCheck;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import plaza.platform.db.Database;
import plaza.platform.http.Json;
import plaza.platform.http.Problems;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Validation;

/** A tiny service on the platform, used to test what every real service gets from it. */
final class ProbeService implements PlazaService {

    record Item(String name, Integer qty) {
    }

    /** Every kind of field a Plaza body has, echoed back as read: for the JSON input policy tests. */
    record Shapes(Integer count, Long big, Double ratio, java.math.BigDecimal rating, Boolean flag, String text,
                  List<String> tags, Item item, List<Item> items, java.util.UUID uuid, java.time.Instant at) {
    }

    private final Database db;

    ProbeService(Database db) {
        this.db = db;
    }

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.post("/probe/items", (req, res) -> {
                    Item item = Json.read(req, Item.class);
                    new Validation().require("name", item.name()).maxLength("name", item.name(), 100)
                            .require("qty", item.qty()).check();
                    long inserted;
                    try (Connection c = db.dataSource().getConnection();
                         PreparedStatement ps = c.prepareStatement("INSERT INTO probe_items(name, qty) VALUES (?, ?)")) {
                        ps.setString(1, item.name());
                        ps.setInt(2, item.qty());
                        inserted = ps.executeUpdate();
                    }
                    Json.send(res, Status.CREATED_201, Map.of("inserted", inserted));
                })
                .get("/probe/items/{id}", (req, res) -> {
                    long id = plaza.platform.http.PathParams.id(req, "id");
                    try (Connection c = db.dataSource().getConnection();
                         PreparedStatement ps = c.prepareStatement("SELECT name, qty FROM probe_items WHERE id = ?")) {
                        ps.setLong(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                throw ProblemException.notFound("No item " + id);
                            }
                            Json.send(res, Map.of("name", rs.getString("name"), "qty", rs.getInt("qty")));
                        }
                    }
                })
                .any("/probe/items/{id}", Problems.methodNotAllowed("GET"))
                .post("/probe/shapes", (req, res) -> Json.send(res, Json.read(req, Shapes.class)))
                .get("/probe/page", (req, res) -> Json.send(res, Map.of("page", plaza.platform.http.QueryParams.integer(req, "page", 1, 1, 100))))
                .get("/probe/cursor", (req, res) -> {
                    var parts = plaza.platform.http.QueryParams.cursor(req, "cursor", 2).orElseThrow();
                    Json.send(res, Map.of("at", plaza.platform.http.QueryParams.cursorTime("cursor", parts.get(0)).toString(),
                                          "id", parts.get(1)));
                })
                .get("/probe/boom", (req, res) -> {
                    throw new IllegalStateException("secret internal detail");
                });
    }

    @Override
    public List<HealthCheck> healthChecks() {
        return List.of(db.readiness());
    }
}
