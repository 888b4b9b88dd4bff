package plaza.testing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.helidon.http.Method;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpSecurity;
import io.helidon.webserver.http.HttpService;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import plaza.platform.PlazaService;
import plaza.platform.openapi.ApiDescriptions;

/**
 * Checks that a service's OpenAPI description and its code agree: the routes it registers (method + path
 * template, recorded by running its {@code routing(..)} against a recording builder) are exactly the operations
 * its description adds to platform's; the served document parses with swagger-parser without a message; every
 * example validates against its schema (JSON Schema 2020-12, formats asserted); every JSON request body and 2xx
 * JSON response has one; every operation has an operationId (unique), a summary, a tag and at least one 4xx.
 */
public final class ApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    /** Keywords a schema may have (JSON Schema 2020-12 and OpenAPI's); anything else is a typo or a YAML slip. */
    private static final Set<String> SCHEMA_KEYS = Set.of(
            "$ref", "$schema", "$id", "$comment", "$defs", "type", "format", "title", "description", "default", "example",
            "examples", "enum", "const", "properties", "required", "additionalProperties", "patternProperties",
            "propertyNames", "minProperties", "maxProperties", "dependentRequired", "items", "prefixItems", "minItems",
            "maxItems", "uniqueItems", "contains", "minLength", "maxLength", "pattern", "minimum", "maximum",
            "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
            "readOnly", "writeOnly", "deprecated", "discriminator", "xml", "externalDocs", "contentMediaType",
            "contentEncoding");
    private static final Set<String> PARAMETER_KEYS = Set.of("$ref", "name", "in", "description", "required", "deprecated",
            "allowEmptyValue", "style", "explode", "allowReserved", "schema", "example", "examples", "content");

    private ApiContract() {
    }

    /** Every operation a service registers, as {@code "GET /recipes/{id}"}; {@code any(..)} 405 answers are left out. */
    public static Set<String> routes(PlazaService service) {
        Recorder recorder = new Recorder("");
        service.routing(recorder);
        return recorder.routes;
    }

    /** Operations of a description, as {@code "GET /recipes/{id}"}. */
    @SuppressWarnings("unchecked")
    public static Set<String> operations(Map<String, Object> document) {
        Set<String> ops = new TreeSet<>();
        ((Map<String, Object>) document.getOrDefault("paths", Map.of())).forEach((path, item) ->
                ((Map<String, Object>) item).keySet().stream().filter(METHODS::contains)
                        .forEach(m -> ops.add(m.toUpperCase() + " " + path)));
        return ops;
    }

    /**
     * Problems found in the service's description against its code, one line each; empty when they agree.
     * The list of problems is the assertion message, so a failure says everything at once.
     */
    /**
     * Asserts what a service's server answers at {@code /openapi}: the YAML naming {@code describedPath}, the service's
     * own part at {@code /openapi/<service>?format=json} equal to its merged description, and a problem for a bad format.
     */
    public static void assertServes(io.helidon.webclient.http1.Http1Client client, String service, String describedPath)
            throws java.io.IOException {
        try (var res = client.get("/openapi").request()) {
            org.hamcrest.MatcherAssert.assertThat(res.status(), org.hamcrest.Matchers.is(io.helidon.http.Status.OK_200));
            org.hamcrest.MatcherAssert.assertThat(res.as(String.class), org.hamcrest.Matchers.containsString(describedPath + ":"));
        }
        try (var res = client.get("/openapi/" + service).queryParam("format", "json").request()) {
            org.hamcrest.MatcherAssert.assertThat(res.status(), org.hamcrest.Matchers.is(io.helidon.http.Status.OK_200));
            JsonNode served = new ObjectMapper().readTree(res.as(String.class));
            org.junit.jupiter.api.Assertions.assertEquals(new ObjectMapper().valueToTree(ApiDescriptions.merged(List.of(service))), served);
        }
        try (var res = client.get("/openapi").queryParam("format", "xml").request()) {
            org.hamcrest.MatcherAssert.assertThat(res.status(), org.hamcrest.Matchers.is(io.helidon.http.Status.BAD_REQUEST_400));
            org.hamcrest.MatcherAssert.assertThat(res.headers().contentType().orElseThrow().text(),
                                                  org.hamcrest.Matchers.containsString("application/problem+json"));
        }
    }

    public static List<String> check(PlazaService service) {
        List<String> problems = new ArrayList<>();
        if (!ApiDescriptions.describes(service.name())) {
            return List.of("no description: add " + ApiDescriptions.resource(service.name()) + " to the service's resources");
        }
        Map<String, Object> document = ApiDescriptions.merged(List.of(service.name()));
        Set<String> described = operations(document);
        described.removeAll(operations(ApiDescriptions.merged(List.of())));
        Set<String> registered = routes(service);
        for (String route : registered) {
            if (!described.contains(route)) {
                problems.add("registered but not described: " + route);
            }
        }
        for (String op : described) {
            if (!registered.contains(op)) {
                problems.add("described but not registered: " + op);
            }
        }
        problems.addAll(lint(document));
        return problems;
    }

    /** swagger-parser's messages, then Plaza's own rules and every example against its schema. */
    @SuppressWarnings("unchecked")
    public static List<String> lint(Map<String, Object> document) {
        List<String> problems = new ArrayList<>();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(ApiDescriptions.json(document), null, options);
        if (parsed.getMessages() != null) {
            parsed.getMessages().forEach(m -> problems.add("swagger-parser: " + m));
        }
        if (parsed.getOpenAPI() == null) {
            problems.add("swagger-parser could not read the document");
        }
        if (!"3.1.0".equals(document.get("openapi"))) {
            problems.add("openapi must be 3.1.0");
        }
        JsonNode root = JSON.valueToTree(document);
        Examples examples = new Examples(root);
        Set<String> operationIds = new TreeSet<>();
        root.path("paths").fields().forEachRemaining(pathEntry -> {
            String path = pathEntry.getKey();
            JsonNode item = pathEntry.getValue();
            List<JsonNode> pathParameters = new ArrayList<>();
            item.path("parameters").forEach(pathParameters::add);
            item.fields().forEachRemaining(opEntry -> {
                if (!METHODS.contains(opEntry.getKey())) {
                    return;
                }
                String where = opEntry.getKey().toUpperCase() + " " + path;
                JsonNode op = opEntry.getValue();
                String id = op.path("operationId").asText("");
                if (id.isEmpty() || !operationIds.add(id)) {
                    problems.add(where + ": operationId missing or not unique: '" + id + "'");
                }
                if (op.path("summary").asText("").isBlank()) {
                    problems.add(where + ": no summary");
                }
                if (op.path("tags").isEmpty()) {
                    problems.add(where + ": no tag");
                }
                List<JsonNode> parameters = new ArrayList<>(pathParameters);
                op.path("parameters").forEach(parameters::add);
                for (JsonNode p : parameters) {
                    JsonNode parameter = examples.resolve(p);
                    String name = parameter.path("name").asText();
                    if ("path".equals(parameter.path("in").asText()) && !path.contains("{" + name + "}")) {
                        problems.add(where + ": path parameter " + name + " is not in the path");
                    }
                    examples.check(where + " parameter " + name, parameter.path("schema"), parameter, false, problems);
                }
                for (String template : templateNames(path)) {
                    boolean declared = parameters.stream().map(examples::resolve)
                            .anyMatch(p -> "path".equals(p.path("in").asText()) && template.equals(p.path("name").asText()));
                    if (!declared) {
                        problems.add(where + ": path parameter {" + template + "} is not declared");
                    }
                }
                JsonNode body = examples.resolve(op.path("requestBody"));
                body.path("content").fields().forEachRemaining(media -> examples.check(
                        where + " request " + media.getKey(), media.getValue().path("schema"), media.getValue(),
                        media.getKey().endsWith("json"), problems));
                boolean has4xx = false;
                Iterator<Map.Entry<String, JsonNode>> responses = op.path("responses").fields();
                while (responses.hasNext()) {
                    Map.Entry<String, JsonNode> r = responses.next();
                    has4xx |= r.getKey().startsWith("4");
                    JsonNode response = examples.resolve(r.getValue());
                    boolean success = r.getKey().startsWith("2");
                    response.path("content").fields().forEachRemaining(media -> examples.check(
                            where + " " + r.getKey() + " " + media.getKey(), media.getValue().path("schema"), media.getValue(),
                            success && media.getKey().equals("application/json") && !where.startsWith("GET /openapi")
                            && !where.startsWith("GET /observe/health"), problems));
                    response.path("headers").fields().forEachRemaining(h -> examples.check(
                            where + " " + r.getKey() + " header " + h.getKey(), examples.resolve(h.getValue()).path("schema"),
                            examples.resolve(h.getValue()), false, problems));
                }
                if (!has4xx && !where.startsWith("GET /health") && !where.startsWith("GET /observe")) {
                    problems.add(where + ": no 4xx response described");
                }
            });
        });
        unknownKeys("", root, false, problems);
        root.path("components").path("schemas").fields().forEachRemaining(s -> {
            if (s.getValue().has("example")) {
                examples.check("components.schemas." + s.getKey(), s.getValue(), s.getValue(), false, problems);
            }
        });
        if (examples.validated == 0) {
            problems.add("no examples at all");
        }
        return problems;
    }

    /**
     * Keys no schema or parameter object may have, found anywhere in the document: what a comma inside an unquoted
     * YAML flow-style description ({@code {description: a, b}}) produces.
     */
    private static void unknownKeys(String where, JsonNode node, boolean schema, List<String> problems) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                unknownKeys(where + "[" + i + "]", node.get(i), schema, problems);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        node.fields().forEachRemaining(e -> {
            String key = e.getKey();
            String at = where + "/" + key;
            if (schema && !SCHEMA_KEYS.contains(key) && !key.startsWith("x-")) {
                problems.add(where + ": '" + key + "' is not a schema keyword");
            }
            if (key.equals("example") || key.equals("examples") && schema || key.equals("default") || key.equals("const")
                || key.equals("enum")) {
                return; // values, not schemas
            }
            if (key.equals("parameters") && e.getValue().isArray()) {
                for (JsonNode p : e.getValue()) {
                    p.fieldNames().forEachRemaining(k -> {
                        if (!PARAMETER_KEYS.contains(k)) {
                            problems.add(at + ": '" + k + "' is not a parameter field");
                        }
                    });
                }
            }
            boolean child = switch (key) {
                case "schema", "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames" -> true;
                default -> false;
            };
            if (schema && (key.equals("properties") || key.equals("$defs") || key.equals("patternProperties"))
                || where.equals("/components") && key.equals("schemas")) {
                e.getValue().fields().forEachRemaining(p -> unknownKeys(at + "/" + p.getKey(), p.getValue(), true, problems));
            } else if (schema && (key.equals("allOf") || key.equals("anyOf") || key.equals("oneOf") || key.equals("prefixItems"))) {
                unknownKeys(at, e.getValue(), true, problems);
            } else if (child && e.getValue().isObject()) {
                unknownKeys(at, e.getValue(), true, problems);
            } else if (!schema) {
                unknownKeys(at, e.getValue(), false, problems);
            }
        });
    }

    private static List<String> templateNames(String path) {
        List<String> names = new ArrayList<>();
        for (int i = path.indexOf('{'); i >= 0; i = path.indexOf('{', i + 1)) {
            names.add(path.substring(i + 1, path.indexOf('}', i)));
        }
        return names;
    }

    /** Validates examples against schemas whose {@code $ref}s point into the document's components. */
    private static final class Examples {

        private final JsonNode root;
        private final ObjectNode defs;
        private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        private int validated;

        Examples(JsonNode root) {
            this.root = root;
            this.defs = (ObjectNode) rewriteRefs(root.path("components").path("schemas").deepCopy());
        }

        /** A {@code $ref} to a component, followed; anything else as it is. */
        JsonNode resolve(JsonNode node) {
            JsonNode current = node;
            for (int hops = 0; hops < 5 && current.has("$ref"); hops++) {
                current = root.at(current.get("$ref").asText().substring(1));
            }
            return current;
        }

        void check(String where, JsonNode schema, JsonNode holder, boolean required, List<String> problems) {
            List<JsonNode> values = new ArrayList<>();
            if (holder.has("example")) {
                values.add(holder.get("example"));
            }
            holder.path("examples").forEach(e -> values.add(resolve(e).has("value") ? resolve(e).get("value") : e));
            if (values.isEmpty()) {
                if (required) {
                    problems.add(where + ": no example");
                }
                return;
            }
            if (schema.isMissingNode()) {
                problems.add(where + ": an example without a schema");
                return;
            }
            ObjectNode full = schema.isObject() ? (ObjectNode) rewriteRefs(schema.deepCopy()) : JsonNodeFactory.instance.objectNode();
            full.remove("example");
            full.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            full.set("$defs", defs);
            JsonSchema compiled = factory.getSchema(full, config);
            for (JsonNode value : values) {
                validated++;
                Set<ValidationMessage> errors;
                try {
                    errors = compiled.validate(value);
                } catch (RuntimeException e) { // a schema that cannot be compiled, e.g. a $ref to nothing
                    problems.add(where + ": its schema cannot be used: " + e.getMessage());
                    continue;
                }
                errors.forEach(e -> problems.add(where + ": example " + value + " does not match its schema: " + e.getMessage()));
            }
        }

        private static JsonNode rewriteRefs(JsonNode node) {
            if (node.isObject()) {
                ObjectNode object = (ObjectNode) node;
                JsonNode ref = object.get("$ref");
                if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
                    object.set("$ref", new TextNode("#/$defs/" + ref.asText().substring("#/components/schemas/".length())));
                }
                object.fields().forEachRemaining(e -> rewriteRefs(e.getValue()));
            } else if (node.isArray()) {
                node.forEach(Examples::rewriteRefs);
            }
            return node;
        }
    }

    /** Records what a service registers; fails on a registration it cannot name (a route without a path). */
    private static final class Recorder implements HttpRouting.Builder {

        private final String prefix;
        private final Set<String> routes;

        Recorder(String prefix) {
            this(prefix, new TreeSet<>());
        }

        private Recorder(String prefix, Set<String> routes) {
            this.prefix = prefix;
            this.routes = routes;
        }

        private HttpRouting.Builder add(Method method, String path) {
            routes.add(method.text() + " " + join(prefix, path));
            return this;
        }

        private static String join(String prefix, String path) {
            if (path.equals("/") || path.isEmpty()) {
                return prefix.isEmpty() ? "/" : prefix;
            }
            return prefix + path;
        }

        @Override
        public HttpRouting.Builder register(String path, HttpService... services) {
            for (HttpService service : services) {
                service.routing(new Recorder(join(prefix, path), routes));
            }
            return this;
        }

        @Override
        public HttpRouting.Builder register(HttpService... services) {
            return register("/", services);
        }

        @Override
        public HttpRouting.Builder get(String path, Handler... handlers) {
            return add(Method.GET, path);
        }

        @Override
        public HttpRouting.Builder post(String path, Handler... handlers) {
            return add(Method.POST, path);
        }

        @Override
        public HttpRouting.Builder put(String path, Handler... handlers) {
            return add(Method.PUT, path);
        }

        @Override
        public HttpRouting.Builder delete(String path, Handler... handlers) {
            return add(Method.DELETE, path);
        }

        @Override
        public HttpRouting.Builder patch(String path, Handler... handlers) {
            return add(Method.PATCH, path);
        }

        @Override
        public HttpRouting.Builder head(String path, Handler... handlers) {
            return add(Method.HEAD, path);
        }

        @Override
        public HttpRouting.Builder options(String path, Handler... handlers) {
            return add(Method.OPTIONS, path);
        }

        @Override
        public HttpRouting.Builder route(Method method, String path, Handler handler) {
            return add(method, path);
        }

        @Override
        public HttpRouting.Builder any(String path, Handler... handlers) {
            return this; // Plaza's any(..) answers 405 for the methods a path lacks: not an operation
        }

        @Override
        public HttpRouting.Builder route(HttpRoute route) {
            throw new UnsupportedOperationException("A route without a method and path the contract test can read; "
                                                    + "register it with get/post/put/patch/delete(path, ..)");
        }

        @Override
        public HttpRouting.Builder addFilter(Filter filter) {
            return this;
        }

        @Override
        public HttpRouting.Builder addFeature(Supplier<? extends HttpFeature> feature) {
            throw new UnsupportedOperationException("A feature inside a service's routing cannot be checked");
        }

        @Override
        public <T extends Throwable> HttpRouting.Builder error(Class<T> exceptionClass, ErrorHandler<? super T> handler) {
            return this;
        }

        @Override
        public HttpRouting.Builder maxReRouteCount(int maxReRouteCount) {
            return this;
        }

        @Override
        public HttpRouting.Builder security(HttpSecurity security) {
            return this;
        }

        @Override
        public HttpRouting.Builder copy() {
            return this;
        }

        @Override
        public HttpRouting build() {
            throw new UnsupportedOperationException("a recorder builds nothing");
        }
    }
}
