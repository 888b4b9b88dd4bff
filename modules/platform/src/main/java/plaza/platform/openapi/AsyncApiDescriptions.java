package plaza.platform.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.helidon.http.HeaderNames;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;

/**
 * The AsyncAPI 3.0 descriptions of the WebSocket protocols: a service with one ships
 * {@code META-INF/asyncapi/<service>.yaml} beside its OpenAPI part and serves it at {@code GET /asyncapi/<service>}
 * (YAML as written, or JSON for {@code Accept: application/json} or {@code ?format=json}), like {@code /openapi/<service>}.
 */
public final class AsyncApiDescriptions {

    public static final String WEB_CONTEXT = "/asyncapi";
    private static final MediaType YAML = MediaTypes.create("application/yaml");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AsyncApiDescriptions() {
    }

    /** Where a service's AsyncAPI document is on the class path. */
    public static String resource(String service) {
        return "META-INF/asyncapi/" + service + ".yaml";
    }

    /** Adds {@code GET /asyncapi/<service>} (and 405 for other methods) to a service's routing. */
    public static void serve(HttpRules rules, String service) {
        String yaml = text(service); // read now: a missing or broken document stops the start, not a request
        String json = json(load(yaml));
        String path = WEB_CONTEXT + "/" + service;
        rules.get(path, (req, res) -> send(req, res, yaml, json))
                .any(path, Problems.methodNotAllowed("GET"));
    }

    /** The document as a map (for tests and the lint script). */
    public static Map<String, Object> document(String service) {
        return load(text(service));
    }

    private static void send(ServerRequest req, ServerResponse res, String yaml, String json) {
        String format = QueryParams.string(req, "format", 10).orElse(null);
        boolean asJson;
        if (format == null) {
            asJson = req.headers().bestAccepted(YAML, MediaTypes.APPLICATION_JSON)
                    .map(MediaTypes.APPLICATION_JSON::equals).orElse(false);
        } else if (format.equals("json")) {
            asJson = true;
        } else if (format.equals("yaml") || format.equals("yml")) {
            asJson = false;
        } else {
            throw QueryParams.invalid("format", "must be json, yaml or yml");
        }
        res.header(HeaderNames.CONTENT_TYPE, asJson ? "application/json" : "application/yaml; charset=utf-8");
        res.send(asJson ? json : yaml);
    }

    private static String text(String service) {
        try (InputStream in = AsyncApiDescriptions.class.getClassLoader().getResourceAsStream(resource(service))) {
            if (in == null) {
                throw new IllegalStateException("No " + resource(service) + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String yaml) {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        // through Jackson, as ApiDescriptions does: YAML-only types (dates, integer keys) become JSON's
        return JSON.convertValue(document, LinkedHashMap.class);
    }

    private static String json(Map<String, Object> document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
