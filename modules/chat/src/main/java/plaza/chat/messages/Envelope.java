package plaza.chat.messages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import plaza.platform.http.Json;

/**
 * The NOTIFY payload every replica receives: {@code {"g":group,"s":seq,"t":micros,"x":conn,"r":1,"f":frame}}.
 * {@code s} is the group event seq (absent for typing, presence and read events, which are not
 * stored in order); {@code t} when the sending replica committed, in epoch microseconds (for the
 * fan-out latency); {@code x} a connection that should not get it (the typist); {@code r} says the
 * frame was too large for NOTIFY's 8000 bytes and receivers read it from the table instead.
 *
 * @param groupId  group
 * @param seq      event seq, 0 for unordered events
 * @param micros   commit time on the sender's clock, 0 if unknown
 * @param exclude  connection id not to deliver to, or null
 * @param frame    the frame JSON, or null when sent by reference
 */
public record Envelope(String groupId, long seq, long micros, String exclude, String frame) {

    /** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; keep a margin for the seq digits. */
    public static final int MAX_PAYLOAD_BYTES = 7900;

    public boolean byReference() {
        return frame == null;
    }

    /** Parses a payload; null when it is not one of ours (someone else NOTIFYing on the channel). */
    public static Envelope parse(String payload) {
        try {
            JsonNode node = Json.MAPPER.readTree(payload.getBytes(StandardCharsets.UTF_8));
            if (node == null || !node.isObject() || !node.path("g").isTextual()) {
                return null;
            }
            JsonNode f = node.get("f");
            return new Envelope(node.get("g").asText(), node.path("s").asLong(0), node.path("t").asLong(0),
                                node.path("x").isTextual() ? node.get("x").asText() : null,
                                f == null || f.isNull() ? null : f.toString());
        } catch (IOException e) {
            return null;
        }
    }

    /** A payload for an unordered event (typing, presence, read). */
    public static String unordered(String groupId, String frame, String exclude) {
        StringBuilder sb = new StringBuilder(frame.length() + 64);
        sb.append("{\"g\":").append(Json.write(groupId));
        if (exclude != null) {
            sb.append(",\"x\":").append(Json.write(exclude));
        }
        sb.append(",\"f\":").append(frame).append('}');
        return sb.toString();
    }

    /**
     * A payload for an ordered event as a PostgreSQL {@code format()} template: {@code %1$s} stands
     * for the seq the inserting statement assigns, every other {@code %} is doubled. {@code
     * frameTemplate} must already be a template. Falls back to a by-reference payload when too large.
     */
    public static String orderedTemplate(String groupId, long micros, String frameTemplate) {
        String head = "{\"g\":" + percent(Json.write(groupId)) + ",\"s\":%1$s,\"t\":" + micros;
        String full = head + ",\"f\":" + frameTemplate + "}";
        if (full.getBytes(StandardCharsets.UTF_8).length < MAX_PAYLOAD_BYTES) {
            return full;
        }
        return head + ",\"r\":1}";
    }

    /** A complete payload for an ordered event whose seq is known (edits, deletes). */
    public static String ordered(String groupId, long seq, long micros, String frame) {
        String head = "{\"g\":" + Json.write(groupId) + ",\"s\":" + seq + ",\"t\":" + micros;
        String full = head + ",\"f\":" + frame + "}";
        if (full.getBytes(StandardCharsets.UTF_8).length < MAX_PAYLOAD_BYTES) {
            return full;
        }
        return head + ",\"r\":1}";
    }

    /** Doubles {@code %} so text survives PostgreSQL's {@code format()}. */
    public static String percent(String text) {
        return text.indexOf('%') < 0 ? text : text.replace("%", "%%");
    }
}
