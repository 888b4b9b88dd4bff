package plaza.events.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import plaza.events.store.EventRow;
import plaza.platform.http.Json;
import plaza.platform.http.Problem;
import plaza.platform.security.Caller;

/**
 * Turns one Segment call body ({@code type}, {@code event}, {@code userId}, {@code anonymousId},
 * {@code properties}, {@code traits}, {@code context}, {@code timestamp}, {@code sentAt},
 * {@code messageId}, and {@code name}, {@code category}, {@code previousId}, {@code integrations})
 * into a row, or a {@link Refusal} saying why not. Who may send what: with a token the event is the
 * token's user's (another {@code userId} is a 403 unless the caller is an admin); without one an
 * {@code anonymousId} is required and a {@code userId} is refused (401); a service's token (role
 * {@code service}, OAuth client credentials) may report events of any user or anonymous id. Times: when {@code sentAt}
 * is given the stored time is {@code receivedAt − (sentAt − timestamp)}.
 */
public final class EventParser {

    /** Segment's limits: 32 KB per event, 500 KB per batch request, 2,500 events per batch. */
    public static final int MAX_EVENT_BYTES = 32 * 1024;
    public static final int MAX_BATCH_BYTES = 500 * 1024;
    public static final int MAX_BATCH_EVENTS = 2500;
    public static final Set<String> TYPES = Set.of("track", "identify", "page", "screen", "alias");
    static final int MAX_ID = 200;

    private final Duration maxEventAge;
    private final Duration maxFuture;
    private final Supplier<Instant> retentionCutoff;

    /** An accepted event, and the anonymous id it links to its user (signed-in identify or alias), if any. */
    public record Accepted(EventRow row, String linkAnonymousId) {
    }

    public EventParser(Duration maxEventAge, Duration maxFuture, Supplier<Instant> retentionCutoff) {
        this.maxEventAge = maxEventAge;
        this.maxFuture = maxFuture;
        this.retentionCutoff = retentionCutoff;
    }

    /**
     * Parses one event. {@code pathType} is the type a single call's path names (null inside a batch);
     * {@code defaults} holds a batch's shared {@code context} and {@code sentAt} (or nothing).
     */
    public Accepted parse(JsonNode node, String pathType, Caller caller, Instant receivedAt, JsonNode defaults) {
        if (node == null || !node.isObject()) {
            throw Refusal.invalid(null, "an event must be a JSON object");
        }
        checkValues(node);
        String type = text(node, "type");
        if (pathType != null) {
            if (type != null && !type.equals(pathType)) {
                throw Refusal.invalid("type", "is '" + type + "' but the call was sent to /events/" + pathType);
            }
            type = pathType;
        } else if (type == null) {
            throw Refusal.invalid("type", "is required (one of " + String.join(", ", TYPES.stream().sorted().toList()) + ")");
        } else if (!TYPES.contains(type)) {
            throw Refusal.invalid("type", "must be one of " + String.join(", ", TYPES.stream().sorted().toList()));
        }

        String messageId = text(node, "messageId");
        if (messageId == null) {
            messageId = "plaza-" + UUID.randomUUID(); // no retry can be recognised, but the event is kept
        }
        String userId = text(node, "userId");
        String anonymousId = text(node, "anonymousId");
        if (caller != null && caller.isService()) {
            // A service (client-credentials token: catalog, recipe) reports what its users did, for any user.
            if (userId == null && anonymousId == null) {
                throw Refusal.invalid("userId", "or anonymousId is required in a service's event");
            }
        } else if (caller != null) {
            if (userId == null) {
                userId = caller.id();
            } else if (!userId.equals(caller.id()) && !caller.hasRole("admin")) {
                throw new Refusal(Status.FORBIDDEN_403, "userId",
                                  "names another user; events are stored for the signed-in user (leave userId out or send your own)");
            }
        } else {
            if (userId != null) {
                throw new Refusal(Status.UNAUTHORIZED_401, "userId", "needs a token: without one, send only an anonymousId");
            }
            if (anonymousId == null) {
                throw Refusal.invalid("anonymousId", "is required without a token");
            }
        }

        String event = null;
        ObjectNode payload = Json.MAPPER.createObjectNode();
        switch (type) {
            case "track" -> {
                event = text(node, "event");
                if (event == null) {
                    throw Refusal.invalid("event", "is required for a track call");
                }
            }
            case "page", "screen" -> {
                event = text(node, "name");
                copyText(node, "category", payload);
            }
            case "alias" -> {
                String previousId = text(node, "previousId");
                if (previousId == null) {
                    throw Refusal.invalid("previousId", "is required for an alias call");
                }
                payload.put("previousId", previousId);
            }
            default -> {
            }
        }
        copyObject(node, "properties", payload);
        copyObject(node, "traits", payload);
        copyObject(node, "integrations", payload);
        ObjectNode context = Json.MAPPER.createObjectNode();
        if (defaults != null && defaults.get("context") instanceof ObjectNode shared) {
            context.setAll(shared);
        }
        JsonNode own = node.get("context");
        if (own != null && !own.isNull()) {
            if (!own.isObject()) {
                throw Refusal.invalid("context", "must be an object");
            }
            context.setAll((ObjectNode) own);
        }
        if (!context.isEmpty()) {
            payload.set("context", context);
        }

        Instant timestamp = time(node, "timestamp");
        Instant sentAt = time(node, "sentAt");
        if (sentAt == null && defaults != null && defaults.get("sentAt") != null) {
            sentAt = time(defaults, "sentAt");
        }
        Instant ts;
        try {
            ts = timestamp == null ? receivedAt
                    : sentAt == null ? timestamp
                    : receivedAt.minus(Duration.between(timestamp, sentAt));
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw Refusal.invalid("timestamp", "is too far from sentAt to be corrected");
        }
        ts = ts.truncatedTo(ChronoUnit.MICROS);
        boolean admin = caller != null && caller.hasRole("admin");
        if (ts.isAfter(receivedAt.plus(maxFuture))) {
            throw Refusal.invalid("timestamp", "is more than " + human(maxFuture) + " ahead of the server's clock");
        }
        if (ts.isBefore(retentionCutoff.get())) {
            throw Refusal.invalid("timestamp", "is older than the retention of this log");
        }
        if (!admin && ts.isBefore(receivedAt.minus(maxEventAge))) {
            throw Refusal.invalid("timestamp", "is more than " + human(maxEventAge) + " in the past (only admins backfill older events)");
        }

        String link = null;
        if (caller != null && userId != null && anonymousId != null && ("identify".equals(type))) {
            link = anonymousId;
        } else if (caller != null && userId != null && "alias".equals(type)) {
            link = payload.get("previousId").asText();
        }
        try {
            return new Accepted(new EventRow(messageId, type, event, userId, anonymousId, ts, timestamp, sentAt, receivedAt,
                                             Json.MAPPER.writeValueAsString(payload)), link);
        } catch (JsonProcessingException e) {
            throw Refusal.invalid(null, "cannot be stored as JSON");
        }
    }

    /** Size of an event as counted against the 32 KB limit: its compact JSON in UTF-8. */
    public static int size(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * Plaza's rules for client JSON values (platform {@link Json#valueProblems}: no NUL, C0 controls or unpaired
     * surrogates in strings and keys, numbers a long or a finite double), per event, so one bad event in a batch
     * is refused by its index while the others are kept; the first problem is the reason.
     */
    private static void checkValues(JsonNode node) {
        List<Problem.FieldError> problems = Json.valueProblems(node, "");
        if (!problems.isEmpty()) {
            Problem.FieldError first = problems.getFirst();
            throw Refusal.invalid("body".equals(first.field()) ? null : first.field(), first.message());
        }
    }

    /** A string field, trimmed; null when absent, JSON null or blank. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw Refusal.invalid(field, "must be a string");
        }
        String s = v.textValue().trim();
        if (s.isEmpty()) {
            return null;
        }
        if (s.codePointCount(0, s.length()) > MAX_ID) {
            throw Refusal.invalid(field, "must be at most " + MAX_ID + " characters");
        }
        return s;
    }

    private static void copyText(JsonNode node, String field, ObjectNode target) {
        String s = text(node, field);
        if (s != null) {
            target.put(field, s);
        }
    }

    private static void copyObject(JsonNode node, String field, ObjectNode target) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isObject()) {
            throw Refusal.invalid(field, "must be an object");
        }
        target.set(field, v);
    }

    private static Instant time(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw Refusal.invalid(field, "must be an ISO-8601 date-time string such as 2026-12-04T10:15:30.000Z");
        }
        try {
            return OffsetDateTime.parse(v.textValue().trim()).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw Refusal.invalid(field, "must be an ISO-8601 date-time with an offset, such as 2026-12-04T10:15:30.000Z");
        }
    }

    private static String human(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toSeconds() + " s";
    }
}
