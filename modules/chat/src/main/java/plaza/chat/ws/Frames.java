package plaza.chat.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import plaza.platform.http.Json;

/** Server frames that are not group events: {@code ack}, {@code error}, {@code joined}, {@code left}. */
final class Frames {

    private Frames() {
    }

    static ObjectNode of(String type, JsonNode requestId) {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("type", type);
        if (requestId != null) {
            frame.set("requestId", requestId);
        }
        return frame;
    }

    static ObjectNode ack(String action, JsonNode requestId) {
        ObjectNode frame = of("ack", requestId);
        frame.put("action", action);
        return frame;
    }

    static String error(String code, String message, JsonNode requestId) {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("type", "error");
        frame.put("code", code);
        frame.put("message", message);
        if (requestId != null) {
            frame.set("requestId", requestId);
        } else {
            frame.putNull("requestId");
        }
        return Json.write(frame);
    }
}
