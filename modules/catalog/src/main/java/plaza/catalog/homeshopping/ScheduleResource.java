package plaza.catalog.homeshopping;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.http.ConditionalGet;
import plaza.platform.http.Json;
import plaza.platform.http.PathParams;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.imports.JsonLinesImport;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /home-shopping}: the day's schedule (a calendar day in the service's zone, Asia/Seoul by
 * default, including broadcasts that cross midnight into or out of it), what is on air now, one
 * broadcast with its products, the channels; admin writes and JSON Lines import.
 */
public final class ScheduleResource implements HttpService {

    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    private final BroadcastRepository broadcasts;
    private final TokenVerifier tokens;
    private final Clock clock;
    private final ZoneId zone;
    private final JsonLinesImport<BroadcastInput.Row> importer;

    public ScheduleResource(BroadcastRepository broadcasts, TokenVerifier tokens, Clock clock, ZoneId zone,
                            JsonLinesImport<BroadcastInput.Row> importer) {
        this.broadcasts = broadcasts;
        this.tokens = tokens;
        this.clock = clock;
        this.zone = zone;
        this.importer = importer;
    }

    /** The import that both the admin endpoint and the demo data go through. */
    public static JsonLinesImport<BroadcastInput.Row> importer(javax.sql.DataSource dataSource, BroadcastRepository broadcasts,
                                                               java.time.Duration shift) {
        return new JsonLinesImport<>(dataSource, node -> BroadcastInput.from(node).shifted(shift), broadcasts::upsert);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/schedule", this::schedule)
                .any("/schedule", Problems.methodNotAllowed("GET"))
                .get("/live", this::live)
                .any("/live", Problems.methodNotAllowed("GET"))
                .get("/channels", this::channels)
                .any("/channels", Problems.methodNotAllowed("GET"))
                .post("/broadcasts", tokens.requireRole("admin", this::create))
                .any("/broadcasts", Problems.methodNotAllowed("POST"))
                .post("/broadcasts/import", tokens.requireRole("admin", (req, res) -> Json.send(res, importer.run(req))))
                .any("/broadcasts/import", Problems.methodNotAllowed("POST"))
                .get("/broadcasts/{id}", this::get)
                .put("/broadcasts/{id}", tokens.requireRole("admin", this::update))
                .delete("/broadcasts/{id}", tokens.requireRole("admin", this::delete))
                .any("/broadcasts/{id}", Problems.methodNotAllowed("GET", "PUT", "DELETE"));
    }

    /** {@code GET /home-shopping/schedule}. */
    public record Schedule(LocalDate date, String zone, String channel, OffsetDateTime from, OffsetDateTime to,
                           List<Broadcast> broadcasts) {
    }

    private void schedule(ServerRequest req, ServerResponse res) {
        LocalDate date = QueryParams.date(req, "date").orElseGet(() -> LocalDate.now(clock.withZone(zone)));
        if (date.getYear() < 1970 || date.getYear() > 9000) {
            throw QueryParams.invalid("date", "must be a date between 1970 and 9000");
        }
        Optional<String> channel = channel(req);
        Instant from = date.atStartOfDay(zone).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
        ConditionalGet.send(req, res, new Schedule(date, zone.getId(), channel.orElse(null), from.atZone(zone).toOffsetDateTime(),
                                    to.atZone(zone).toOffsetDateTime(), broadcasts.overlapping(from, to, channel)));
    }

    private void live(ServerRequest req, ServerResponse res) {
        Optional<String> channel = channel(req);
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        ConditionalGet.send(req, res, Map.of("now", now.atZone(zone).toOffsetDateTime(), "broadcasts", broadcasts.liveAt(now, channel)));
    }

    private void channels(ServerRequest req, ServerResponse res) {
        ConditionalGet.send(req, res, Map.of("channels", broadcasts.channels()));
    }

    private void get(ServerRequest req, ServerResponse res) {
        long id = PathParams.id(req, "id");
        ConditionalGet.send(req, res, broadcasts.find(id).orElseThrow(() -> notFound(id)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        BroadcastInput.Row row = Json.read(req, BroadcastInput.class).validated();
        if (row.id() != null) {
            throw QueryParams.invalid("id", "is assigned by the server; use PUT /home-shopping/broadcasts/{id} or the import to set it");
        }
        long id = broadcasts.create(row);
        res.header(HeaderNames.LOCATION, "/home-shopping/broadcasts/" + id);
        Json.send(res, Status.CREATED_201, broadcasts.find(id).orElseThrow());
    }

    private void update(ServerRequest req, ServerResponse res) {
        long id = PathParams.id(req, "id");
        BroadcastInput.Row row = Json.read(req, BroadcastInput.class).validated();
        if (row.id() != null && row.id() != id) {
            throw QueryParams.invalid("id", "must match the id in the path (or be left out)");
        }
        if (!broadcasts.update(id, row)) {
            throw notFound(id);
        }
        Json.send(res, broadcasts.find(id).orElseThrow());
    }

    private void delete(ServerRequest req, ServerResponse res) {
        long id = PathParams.id(req, "id");
        if (!broadcasts.delete(id)) {
            throw notFound(id);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static Optional<String> channel(ServerRequest req) {
        Optional<String> channel = QueryParams.string(req, "channel", 40);
        channel.ifPresent(c -> {
            if (!CHANNEL.matcher(c).matches()) {
                throw QueryParams.invalid("channel", "must be a channel code (lower-case letters, digits, '-')");
            }
        });
        return channel;
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("No broadcast " + id + ".");
    }
}
