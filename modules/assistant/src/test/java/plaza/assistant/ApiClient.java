package plaza.assistant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.http.Json;
import plaza.testing.EmbeddedDatabases;

/** Test helpers: the service's config on a fresh database, and JSON calls with a bearer token. */
final class ApiClient {

    record Response(int status, String text, Map<String, String> headers) {
        JsonNode json() {
            return text.isEmpty() ? Json.MAPPER.nullNode() : Json.parse(text);
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** One SSE event. */
    record Event(String name, JsonNode data) {
    }

    private final Http1Client http;

    ApiClient(Http1Client http) {
        this.http = http;
    }

    /** Root config: plaza-local without delay, no access log, fresh PostgreSQL, plus {@code extra}. */
    static Config config(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>();
        values.put("assistant.local.token-delay", "PT0S");
        values.put("plaza.access-log.enabled", "false");
        values.putAll(extra);
        return EmbeddedDatabases.config(Database.Vendor.POSTGRESQL, "assistant", PlazaConfig.override(Config.empty(), values));
    }

    static AssistantService service(Config config, plaza.platform.security.TokenVerifier tokens) {
        return AssistantService.create(config, Database.open(config.get("db"), "assistant"), tokens);
    }

    Response get(String path, String token) {
        return call(Method.GET, path, token, null, null);
    }

    Response post(String path, String token, String json) {
        return call(Method.POST, path, token, json, null);
    }

    Response patch(String path, String token, String json) {
        return call(Method.PATCH, path, token, json, null);
    }

    Response put(String path, String token, String json) {
        return call(Method.PUT, path, token, json, null);
    }

    Response delete(String path, String token) {
        return call(Method.DELETE, path, token, null, null);
    }

    Response sse(String path, String token, String json) {
        return call(Method.POST, path, token, json, "text/event-stream");
    }

    Response call(Method method, String path, String token, String json, String accept) {
        int q = path.indexOf('?');
        Http1ClientRequest request = http.method(method).path(q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                request.queryParam(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
            }
        }
        if (token != null) {
            request.header(HeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        if (accept != null) {
            request.header(HeaderNames.ACCEPT, accept);
        }
        Http1ClientResponse response;
        if (json != null) {
            request.header(HeaderNames.CONTENT_TYPE, "application/json");
            response = request.submit(json);
        } else {
            response = request.request();
        }
        try (response) {
            Map<String, String> headers = new HashMap<>();
            response.headers().forEach(h -> headers.put(h.name().toLowerCase(), h.get()));
            String text = response.entity().hasEntity() ? response.as(String.class) : "";
            return new Response(response.status().code(), text, headers);
        }
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Parses a text/event-stream body. */
    static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
            if (!data.isEmpty()) {
                events.add(new Event(name, Json.parse(data.toString())));
            }
        }
        return events;
    }

    /** Creates a conversation and returns its id. */
    String conversation(String token, String body) {
        Response r = post("/ai/conversations", token, body);
        if (r.status() != 201) {
            throw new AssertionError("Creating a conversation: " + r.status() + " " + r.text());
        }
        return r.json().path("id").asText();
    }
}
