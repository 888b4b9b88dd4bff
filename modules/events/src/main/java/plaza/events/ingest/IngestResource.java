package plaza.events.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.events.store.EventRepository;
import plaza.events.store.EventRow;
import plaza.events.store.EventWriter;
import plaza.platform.http.ClientAddress;
import plaza.platform.http.Json;
import plaza.platform.http.Problem;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;
import plaza.platform.http.RateLimiter;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * Segment's HTTP tracking API: {@code POST /track}, {@code /identify}, {@code /page}, {@code /screen},
 * {@code /alias} and {@code /batch}, mounted at {@code /events} and at {@code /events/v1} (Segment's
 * own paths). A 200 is sent only after the events are committed; when the writer is saturated or the
 * database is away the answer is 503 with {@code Retry-After}, and a client retrying with the same
 * messageIds stores each event once.
 */
public final class IngestResource implements HttpService {

    private final EventParser parser;
    private final EventWriter writer;
    private final EventRepository events;
    private final TokenVerifier tokens;
    private final RateLimiter anonymousLimit;
    private final boolean trustForwarded;
    private final Duration commitTimeout;
    private final Clock clock;

    public IngestResource(EventParser parser, EventWriter writer, EventRepository events, TokenVerifier tokens,
                          RateLimiter anonymousLimit, boolean trustForwarded, Duration commitTimeout, Clock clock) {
        this.parser = parser;
        this.writer = writer;
        this.events = events;
        this.tokens = tokens;
        this.anonymousLimit = anonymousLimit;
        this.trustForwarded = trustForwarded;
        this.commitTimeout = commitTimeout;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String type : EventParser.TYPES) {
            rules.post("/" + type, (req, res) -> single(req, res, type))
                    .any("/" + type, Problems.methodNotAllowed("POST"));
        }
        rules.post("/batch", this::batch)
                .any("/batch", Problems.methodNotAllowed("POST"));
    }

    private void single(ServerRequest req, ServerResponse res, String type) {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Caller caller = sender(req);
        JsonNode body = read(req, EventParser.MAX_EVENT_BYTES, "an event").json();
        EventParser.Accepted accepted;
        try {
            accepted = parser.parse(body, type, caller, receivedAt, null);
        } catch (Refusal r) {
            throw problem(r, r.field());
        }
        store(List.of(accepted));
        Json.send(res, Map.of("success", true));
    }

    private void batch(ServerRequest req, ServerResponse res) {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Caller caller = sender(req);
        Body read = read(req, EventParser.MAX_BATCH_BYTES, "a batch");
        JsonNode body = read.json();
        if (!body.isObject()) {
            throw ProblemException.badRequest("A batch must be a JSON object: {\"batch\": [ … ]}.");
        }
        JsonNode batch = body.get("batch");
        if (batch == null || !batch.isArray()) {
            throw invalid("batch", "is required and must be an array of events");
        }
        if (batch.size() > EventParser.MAX_BATCH_EVENTS) {
            throw invalid("batch", "has " + batch.size() + " events; at most " + EventParser.MAX_BATCH_EVENTS + " are accepted per batch");
        }
        JsonNode context = body.get("context");
        if (context != null && !context.isNull() && !context.isObject()) {
            throw invalid("context", "must be an object");
        }
        if (context != null) {
            // shared by every event of the batch: a bad value in it refuses the batch
            List<Problem.FieldError> problems = Json.valueProblems(context, "context");
            if (!problems.isEmpty()) {
                throw ProblemException.validation(problems);
            }
        }
        JsonNode sentAt = body.get("sentAt");
        if (sentAt != null && !sentAt.isNull() && !sentAt.isTextual()) {
            throw invalid("sentAt", "must be an ISO-8601 date-time string");
        }
        List<EventParser.Accepted> accepted = new ArrayList<>();
        List<Map<String, Object>> refused = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        // No event can be larger than a body that is within the limit: measure only when the body is larger.
        boolean measure = read.bytes() > EventParser.MAX_EVENT_BYTES;
        for (int i = 0; i < batch.size(); i++) {
            JsonNode event = batch.get(i);
            try {
                int size = measure ? EventParser.size(event) : 0;
                if (size > EventParser.MAX_EVENT_BYTES) {
                    throw new Refusal(Status.REQUEST_ENTITY_TOO_LARGE_413, null,
                                      "is " + size + " bytes; an event may have at most " + EventParser.MAX_EVENT_BYTES);
                }
                accepted.add(parser.parse(event, null, caller, receivedAt, body));
            } catch (Refusal r) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("index", i);
                entry.put("status", r.status().code());
                entry.put("reason", r.describe());
                refused.add(entry);
                errors.add(new Problem.FieldError("batch[" + i + "]" + (r.field() == null ? "" : "." + r.field()), r.getMessage()));
            }
        }
        if (accepted.isEmpty() && !refused.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        store(accepted);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("accepted", accepted.size());
        answer.put("refused", refused);
        Json.send(res, answer);
    }

    /** The token's user, or null for an anonymous sender (rate-limited per client address). */
    private Caller sender(ServerRequest req) {
        // Segment's libraries send their write key as Basic credentials: that names no user, so it counts as anonymous.
        boolean bearer = req.headers().first(HeaderNames.AUTHORIZATION)
                .map(h -> !h.regionMatches(true, 0, "Basic ", 0, 6)).orElse(false);
        if (bearer) {
            return tokens.caller(req);
        }
        anonymousLimit.check(ClientAddress.of(req, trustForwarded), "events without a token from this address");
        return null;
    }

    /** Commits the events (the request waits for its group commit), then the identity links they carry. */
    private void store(List<EventParser.Accepted> accepted) {
        if (accepted.isEmpty()) {
            return;
        }
        List<EventRow> rows = accepted.stream().map(EventParser.Accepted::row).toList();
        try {
            writer.submit(rows).get(commitTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (EventWriter.Overloaded e) {
            throw unavailable("The event log is taking in more than it can write; retry in a moment with the same messageIds.",
                              Duration.ofSeconds(1));
        } catch (TimeoutException e) {
            throw unavailable("The events were not confirmed in time; retry with the same messageIds (they are stored once).",
                              Duration.ofSeconds(2));
        } catch (ExecutionException e) {
            throw unavailable("The event store is not reachable; retry with the same messageIds.", Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("The server is stopping; retry with the same messageIds.", Duration.ofSeconds(1));
        }
        try {
            for (EventParser.Accepted a : accepted) {
                if (a.linkAnonymousId() != null) {
                    events.link(a.linkAnonymousId(), a.row().userId(), a.row().receivedAt());
                }
            }
        } catch (IllegalStateException e) {
            // The events are committed; the retry stores nothing twice and links again (a link is idempotent).
            throw unavailable("The events were stored but the anonymous id could not be linked; retry the same call.",
                              Duration.ofSeconds(5));
        }
    }

    private static ProblemException unavailable(String detail, Duration retryAfter) {
        return new ProblemException(Status.SERVICE_UNAVAILABLE_503, "unavailable", "Service unavailable", detail, null, retryAfter);
    }

    private static ProblemException invalid(String field, String message) {
        return ProblemException.validation(List.of(new Problem.FieldError(field, message)));
    }

    private static ProblemException problem(Refusal r, String field) {
        if (r.status() == Status.FORBIDDEN_403) {
            return ProblemException.forbidden(r.describe());
        }
        if (r.status() == Status.UNAUTHORIZED_401) {
            return ProblemException.unauthorized(r.describe());
        }
        if (field == null) {
            return ProblemException.badRequest("The event " + r.getMessage() + ".");
        }
        return invalid(field, r.getMessage());
    }

    /** A parsed request body and how many bytes it had. */
    private record Body(JsonNode json, int bytes) {
    }

    /** The body as a JSON tree, at most {@code limit} bytes (413 beyond); any parse failure is a 400. */
    private static Body read(ServerRequest req, int limit, String what) {
        var contentType = req.headers().contentType();
        if (contentType.isPresent()) {
            String subtype = contentType.get().mediaType().subtype();
            // text/plain too: browsers' sendBeacon posts JSON as text/plain to avoid a CORS preflight.
            if (!"json".equals(subtype) && !subtype.endsWith("+json") && !"plain".equals(subtype)) {
                throw new ProblemException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported-media-type", "Unsupported media type",
                                           "Send the body as application/json, not " + contentType.get().mediaType().text() + ".");
            }
        }
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > limit) {
            throw tooLarge(what, limit);
        }
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(256, Math.min(declared, limit)));
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > limit) {
                    throw tooLarge(what, limit);
                }
            }
            bytes = out.toByteArray();
        } catch (IOException e) {
            throw ProblemException.badRequest("The request body could not be read.");
        }
        if (bytes.length == 0) {
            throw ProblemException.badRequest("A JSON request body is required.");
        }
        // Plaza's one policy for client JSON (strict UTF-8, nesting, number length, duplicate keys); values are
        // judged per event by the parser, so a batch keeps its good events.
        JsonNode node = Json.parseSyntax(Json.decodeUtf8(bytes));
        if (node.isNull()) {
            throw ProblemException.badRequest("A JSON request body is required.");
        }
        return new Body(node, bytes.length);
    }

    private static ProblemException tooLarge(String what, int limit) {
        return new ProblemException(Status.REQUEST_ENTITY_TOO_LARGE_413, "payload-too-large", "Payload too large",
                                    "The body of " + what + " may have at most " + limit + " bytes (" + limit / 1024 + " KB).");
    }
}
