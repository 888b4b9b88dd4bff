package plaza.events.store;

import java.time.Instant;

/**
 * One accepted event as it is written: {@code ts} is the stored (corrected) time, {@code originalTs},
 * {@code sentAt} the client's, {@code receivedAt} the server's; {@code payload} is the JSON of the
 * remaining fields (properties, traits, context, …).
 */
public record EventRow(String messageId, String type, String event, String userId, String anonymousId,
                       Instant ts, Instant originalTs, Instant sentAt, Instant receivedAt, String payload) {
}
