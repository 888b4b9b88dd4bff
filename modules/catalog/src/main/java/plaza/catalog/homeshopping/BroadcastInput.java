package plaza.catalog.homeshopping;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import plaza.platform.http.Json;
import plaza.platform.http.Validation;

/**
 * A broadcast as an admin sends it (a JSON body or one import line). Times are ISO-8601 with an
 * offset ({@code 2025-03-03T23:30:00+09:00} or {@code …Z}); a time without an offset is refused as
 * ambiguous. {@code channel} is a channel code; an unknown code creates the channel, named
 * {@code channelName} (or the code). {@code id} is optional (1 to {@link plaza.platform.http.Validation#MAX_CLIENT_ID}): with it the row creates or replaces
 * that broadcast.
 */
public record BroadcastInput(Long id, String channel, String channelName, String title, String startsAt, String endsAt,
                             List<Long> productIds) {

    public static final Duration MAX_LENGTH = Duration.ofHours(24);
    public static final int MAX_PRODUCTS = 50;
    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    /** A validated broadcast. */
    public record Row(Long id, String channel, String channelName, String title, Instant startsAt, Instant endsAt,
                      List<Long> productIds) {

        /** The same broadcast moved by {@code by} (demo data is moved to the current week). */
        public Row shifted(Duration by) {
            return new Row(id, channel, channelName, title, startsAt.plus(by), endsAt.plus(by), productIds);
        }
    }

    public static Row from(JsonNode node) {
        return Json.convert(node, BroadcastInput.class).validated();
    }

    public Row validated() {
        Validation v = new Validation()
                .clientId("id", id)
                .require("channel", channel)
                .maxLength("channelName", channelName, 100)
                .require("title", title).maxLength("title", title, 200)
                .require("startsAt", startsAt)
                .require("endsAt", endsAt);
        if (channel != null && !channel.isBlank()) {
            v.check("channel", CODE.matcher(channel).matches(), "must be a code of lower-case letters, digits and '-' (at most 40)");
        }
        Instant start = time(v, "startsAt", startsAt);
        Instant end = time(v, "endsAt", endsAt);
        if (start != null && end != null) {
            v.check("endsAt", end.isAfter(start), "must be after startsAt");
            v.check("endsAt", !end.isAfter(start.plus(MAX_LENGTH)), "a broadcast lasts at most 24 hours");
        }
        LinkedHashSet<Long> ids = new LinkedHashSet<>();
        if (productIds != null) {
            v.check("productIds", productIds.size() <= MAX_PRODUCTS, "must have at most " + MAX_PRODUCTS + " entries");
            for (int i = 0; i < productIds.size(); i++) {
                Long pid = productIds.get(i);
                if (pid == null || pid <= 0) {
                    v.check("productIds[" + i + "]", false, "must be a positive number");
                } else if (!ids.add(pid)) {
                    v.check("productIds[" + i + "]", false, "is listed twice");
                }
            }
        }
        v.check();
        return new Row(id, channel, channelName == null || channelName.isBlank() ? null : channelName.trim(), title.trim(),
                       start, end, List.copyOf(ids));
    }

    private static Instant time(Validation v, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            v.check(field, false, "must be an ISO-8601 time with an offset, like 2025-03-03T23:30:00+09:00");
            return null;
        }
    }
}
