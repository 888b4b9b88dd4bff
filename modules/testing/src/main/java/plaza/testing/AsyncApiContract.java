package plaza.testing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import plaza.platform.openapi.AsyncApiDescriptions;

/**
 * A service's AsyncAPI 3.0 document ({@code META-INF/asyncapi/<service>.yaml}) read for tests: the client actions it
 * documents (the {@code action} const of every message of a {@code receive} operation), the server frame types (the
 * {@code type} const of every message the server sends or replies with), the close codes ({@code info.x-close-codes}),
 * and each frame checked against its message's payload schema (JSON Schema 2020-12, formats asserted).
 */
public final class AsyncApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode root;
    private final ObjectNode defs;
    private final Map<String, JsonSchema> actionSchemas = new TreeMap<>();
    private final Map<String, JsonSchema> frameSchemas = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<JsonNode> actionExamples = new ArrayList<>();

    private AsyncApiContract(JsonNode root) {
        this.root = root;
        this.defs = (ObjectNode) rewriteRefs(root.path("components").path("schemas").deepCopy());
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        if (!"3.0.0".equals(root.path("asyncapi").asText())) {
            problems.add("asyncapi must be 3.0.0");
        }
        for (Iterator<Map.Entry<String, JsonNode>> ops = root.path("operations").fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            boolean receive = "receive".equals(op.getValue().path("action").asText());
            for (JsonNode ref : op.getValue().path("messages")) {
                collect(op.getKey(), resolve(ref), receive ? "action" : "type", receive ? actionSchemas : frameSchemas, factory, config);
            }
            for (JsonNode ref : op.getValue().path("reply").path("messages")) {
                collect(op.getKey() + " reply", resolve(ref), "type", frameSchemas, factory, config);
            }
        }
    }

    public static AsyncApiContract of(String service) {
        return new AsyncApiContract(JSON.valueToTree(AsyncApiDescriptions.document(service)));
    }

    /** Problems of the document itself: a message without a const discriminator, an example its schema refuses. */
    public List<String> problems() {
        return problems;
    }

    /** The client actions documented. */
    public Set<String> actions() {
        return actionSchemas.keySet();
    }

    /** The server frame types documented. */
    public Set<String> frameTypes() {
        return frameSchemas.keySet();
    }

    /** The example payloads of the documented actions (what a hostile-input generator starts from). */
    public List<JsonNode> actionExamples() {
        return actionExamples;
    }

    /** The documented close codes. */
    public Set<Integer> closeCodes() {
        Set<Integer> codes = new TreeSet<>();
        root.path("info").path("x-close-codes").fieldNames().forEachRemaining(c -> codes.add(Integer.parseInt(c)));
        return codes;
    }

    /** What is wrong with a frame the server sent: an undocumented type, or where it breaks its message's schema. */
    public List<String> frameProblems(JsonNode frame) {
        JsonSchema schema = frameSchemas.get(frame.path("type").asText());
        if (schema == null) {
            return List.of("undocumented frame type: " + frame);
        }
        return schema.validate(frame).stream().map(m -> frame.path("type").asText() + " " + frame + ": " + m.getMessage()).toList();
    }

    /** What is wrong with a client frame by the documented schema of its action (none: documented and valid). */
    public List<String> actionProblems(JsonNode frame) {
        JsonSchema schema = actionSchemas.get(frame.path("action").asText());
        if (schema == null) {
            return List.of("undocumented action: " + frame);
        }
        return schema.validate(frame).stream().map(m -> frame + ": " + m.getMessage()).toList();
    }

    private void collect(String where, JsonNode message, String discriminator, Map<String, JsonSchema> into,
                         JsonSchemaFactory factory, SchemaValidatorsConfig config) {
        JsonNode payload = resolve(message.path("payload"));
        String name = resolve(payload.path("properties").path(discriminator)).path("const").asText(null);
        if (name == null) {
            problems.add(where + ": message " + message.path("name").asText() + " has no const " + discriminator);
            return;
        }
        ObjectNode full = (ObjectNode) rewriteRefs(payload.deepCopy());
        full.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        full.set("$defs", defs);
        JsonSchema schema = factory.getSchema(full, config);
        into.put(name, schema);
        for (JsonNode example : message.path("examples")) {
            if (discriminator.equals("action")) {
                actionExamples.add(example.path("payload"));
            }
            schema.validate(example.path("payload"))
                    .forEach(m -> problems.add(where + ": example " + example.path("payload") + ": " + m.getMessage()));
        }
    }

    /** {@code $ref}s followed (channel messages refer to component messages). */
    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; hops < 5 && current.has("$ref"); hops++) {
            current = root.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    private static JsonNode rewriteRefs(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
                object.set("$ref", TextNode.valueOf("#/$defs/" + ref.asText().substring("#/components/schemas/".length())));
            }
            object.fields().forEachRemaining(e -> rewriteRefs(e.getValue()));
        } else if (node.isArray()) {
            node.forEach(AsyncApiContract::rewriteRefs);
        }
        return node;
    }
}
