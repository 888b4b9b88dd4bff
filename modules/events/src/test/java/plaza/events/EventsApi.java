package plaza.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
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
import plaza.platform.security.TokenVerifier;
import plaza.testing.EmbeddedDatabases;

/** Test helpers: the service on a fresh PostgreSQL database, a clock tests can move, and JSON calls. */
final class EventsApi {

    record Response(int status, String text, Map<String, String> headers) {
        JsonNode json() {
            // the server's answer as it is (Json.parse and Json.MAPPER apply the limits for client input)
            try {
                return text.isEmpty() ? Json.MAPPER.nullNode() : new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        String contentType() {
            return header("content-type");
        }
    }

    /** A clock that stands still until moved. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final Http1Client http;

    EventsApi(Http1Client http) {
        this.http = http;
    }

    static EventsApi at(int port) {
        return new EventsApi(Http1Client.builder().baseUri("http://localhost:" + port).build());
    }

    /** Root config: no access log, a fresh PostgreSQL database, plus {@code extra}. */
    static Config config(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>();
        values.put("plaza.access-log.enabled", "false");
        values.putAll(extra);
        return EmbeddedDatabases.config(Database.Vendor.POSTGRESQL, "events", PlazaConfig.override(Config.empty(), values));
    }

    static EventsService service(Config config, TokenVerifier tokens, Clock clock) {
        return EventsService.create(config, Database.open(config.get("db"), "events"), tokens, clock);
    }

    Response get(String path, String token) {
        return call(Method.GET, path, token, (String) null, null);
    }

    Response post(String path, String token, String json) {
        return call(Method.POST, path, token, json, "application/json");
    }

    Response delete(String path, String token) {
        return call(Method.DELETE, path, token, (String) null, null);
    }

    Response call(Method method, String path, String token, String body, String contentType) {
        return raw(method, path, token == null ? null : "Bearer " + token, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                    contentType);
    }

    Response raw(Method method, String path, String authorization, byte[] body, String contentType) {
        int q = path.indexOf('?');
        Http1ClientRequest request = http.method(method).path(q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                request.queryParam(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
            }
        }
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        if (contentType != null) {
            request.header(HeaderNames.CONTENT_TYPE, contentType);
        }
        Http1ClientResponse response = body == null ? request.request() : request.submit(body);
        try (response) {
            Map<String, String> headers = new HashMap<>();
            response.headers().forEach(h -> headers.put(h.name().toLowerCase(), h.get()));
            String text = response.entity().hasEntity() ? response.as(String.class) : "";
            return new Response(response.status().code(), text, headers);
        }
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** A track call body. */
    static String track(String messageId, String event, String extra) {
        return "{\"messageId\":\"" + messageId + "\",\"event\":\"" + event + "\"" + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }
}
