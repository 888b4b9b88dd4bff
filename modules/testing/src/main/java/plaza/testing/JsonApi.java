package plaza.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import plaza.platform.http.Json;

/** A thin JSON client over a test server: requests with JSON bodies and bearer tokens, responses parsed once. */
public final class JsonApi {

    private final Http1Client client;

    public JsonApi(Http1Client client) {
        this.client = client;
    }

    public record Response(int status, String contentType, JsonNode body, String text) {
        public List<Long> ids(String arrayField) {
            List<Long> ids = new ArrayList<>();
            body.get(arrayField).forEach(n -> ids.add(n.get("id").asLong()));
            return ids;
        }

        public List<String> names(String arrayField) {
            List<String> names = new ArrayList<>();
            body.get(arrayField).forEach(n -> names.add(n.get("name").asText()));
            return names;
        }
    }

    /** GET with query parameters given as name, value, name, value… */
    public Response get(String path, String... query) {
        return call(Method.GET, path, null, null, null, query);
    }

    /** GET with one parameter repeated once per value. */
    public Response getRepeated(String path, String name, String... values) {
        Http1ClientRequest request = client.get(path).queryParam(name, values);
        try (HttpClientResponse res = request.request()) {
            String text = res.as(String.class);
            return new Response(res.status().code(), res.headers().contentType().map(t -> t.mediaType().text()).orElse(null),
                                tree(text), text);
        }
    }

    public Response getAs(String token, String path, String... query) {
        return call(Method.GET, path, token, null, null, query);
    }

    public Response send(Method method, String path, String token, String contentType, String body) {
        return call(method, path, token, contentType, body);
    }

    /** Sends {@code body} as raw bytes (invalid UTF-8 included). */
    public Response sendBytes(Method method, String path, String token, String contentType, byte[] body) {
        Http1ClientRequest request = client.method(method).path(path);
        if (token != null) {
            request.header(HeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        request.header(HeaderNames.CONTENT_TYPE, contentType);
        try (HttpClientResponse res = request.submit(body)) {
            String text = res.entity().hasEntity() ? res.as(String.class) : "";
            return new Response(res.status().code(), res.headers().contentType().map(t -> t.mediaType().text()).orElse(null),
                                text.isEmpty() ? null : tree(text), text);
        }
    }

    private Response call(Method method, String path, String token, String contentType, String body, String... query) {
        Http1ClientRequest request = client.method(method).path(path);
        for (int i = 0; i + 1 < query.length; i += 2) {
            request.queryParam(query[i], query[i + 1]);
        }
        if (token != null) {
            request.header(HeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        if (contentType != null) {
            request.header(HeaderNames.CONTENT_TYPE, contentType);
        }
        try (HttpClientResponse res = body == null ? request.request() : request.submit(body.getBytes(StandardCharsets.UTF_8))) {
            String text = res.entity().hasEntity() ? res.as(String.class) : "";
            JsonNode json = text.isEmpty() ? null : tree(text);
            return new Response(res.status().code(), res.headers().contentType().map(t -> t.mediaType().text()).orElse(null),
                                json, text);
        }
    }

    /** A response parsed as it is: the client-input checks of {@code Json.parse} are not the server's to pass. */
    private static JsonNode tree(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Response is not JSON: " + text, e);
        }
    }
}
