package plaza.events.read;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.helidon.webserver.http.ServerRequest;
import plaza.events.ingest.EventParser;
import plaza.events.store.EventRepository;
import plaza.platform.http.QueryParams;

/** Query parameters of the read endpoints: times, the list filters and the newest-first cursor. */
final class ReadParams {

    private ReadParams() {
    }

    /** {@code event}, {@code type}, {@code from}, {@code to}, {@code cursor}, {@code limit} (50, at most 500). */
    static EventRepository.Query listQuery(ServerRequest req) {
        Optional<String> type = QueryParams.string(req, "type", 20);
        if (type.isPresent() && !EventParser.TYPES.contains(type.get())) {
            throw QueryParams.invalid("type", "must be one of " + String.join(", ", EventParser.TYPES.stream().sorted().toList()));
        }
        return new EventRepository.Query(QueryParams.string(req, "event", 200).orElse(null), type.orElse(null),
                                         time(req, "from").orElse(null), time(req, "to").orElse(null),
                                         cursor(req).orElse(null), QueryParams.integer(req, "limit", 50, 1, 500));
    }

    static Map<String, Object> page(EventRepository.Page page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("next", page.next() == null ? null : encode(page.next()));
        return body;
    }

    /** An instant ({@code 2026-12-04T10:00:00Z}) or a date ({@code 2026-12-04}, its start in UTC). */
    static Optional<Instant> time(ServerRequest req, String name) {
        Optional<String> raw = QueryParams.string(req, name, 40);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (raw.get().length() == 10) {
                return Optional.of(LocalDate.parse(raw.get()).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            return Optional.of(OffsetDateTime.parse(raw.get()).toInstant().truncatedTo(ChronoUnit.MICROS));
        } catch (DateTimeParseException e) {
            throw QueryParams.invalid(name, "must be a date (2026-12-04) or an ISO-8601 date-time with offset (2026-12-04T10:00:00Z)");
        }
    }

    private static Optional<EventRepository.Position> cursor(ServerRequest req) {
        Optional<String> raw = QueryParams.string(req, "cursor", 100);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(raw.get()), StandardCharsets.US_ASCII);
            int dot = text.indexOf('.');
            long micros = Long.parseLong(text.substring(0, dot));
            long seq = Long.parseLong(text.substring(dot + 1));
            return Optional.of(new EventRepository.Position(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), seq));
        } catch (RuntimeException e) {
            throw QueryParams.invalid("cursor", "is not a cursor this service handed out (use the 'next' of a previous page)");
        }
    }

    private static String encode(EventRepository.Position p) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, p.ts());
        return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "." + p.seq()).getBytes(StandardCharsets.US_ASCII));
    }
}
