package plaza.platform.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * JSON in and out of handlers. Reading never lets a parse problem escape as a 500: malformed JSON,
 * a wrong type or a missing body become a 400 problem that names the field; a body that is not
 * JSON at all becomes a 415.
 */
public final class Json {

    /** Shared mapper: ISO-8601 instants, unknown fields ignored (clients may send more than we read). */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        // {"content": 42} is a client bug, not the string "42": no silent scalar coercion.
        MAPPER.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Textual)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
        MAPPER.disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);
        // Deeply nested hostile input must fail fast, not blow the stack.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private Json() {
    }

    /** Reads the request body as {@code type}; see the class comment for the errors. */
    public static <T> T read(ServerRequest req, Class<T> type) {
        requireJsonContent(req);
        try (InputStream in = req.content().inputStream()) {
            T value = MAPPER.readValue(in, type);
            if (value == null) {
                throw ProblemException.badRequest("The request body must be a JSON object, not null.");
            }
            return value;
        } catch (MismatchedInputException e) {
            throw mismatch(e);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("Malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("The request body could not be read: " + e.getMessage());
        }
    }

    /** Parses a JSON text (a WebSocket frame, a line of an import) as a tree; malformed text is a 400. */
    public static JsonNode parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw ProblemException.badRequest("Empty JSON text.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("Malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** Converts a parsed tree to {@code type}, with the same 400s as {@link #read}. */
    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (MismatchedInputException e) {
            throw mismatch(e);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("Malformed JSON: " + e.getOriginalMessage());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize " + value.getClass().getName(), e);
        }
    }

    public static void send(ServerResponse res, Object body) {
        send(res, Status.OK_200, body);
    }

    public static void send(ServerResponse res, Status status, Object body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        try {
            res.send(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize " + body.getClass().getName(), e);
        }
    }

    private static void requireJsonContent(ServerRequest req) {
        var contentType = req.headers().contentType();
        if (contentType.isEmpty()) {
            if (!req.content().hasEntity()) {
                throw ProblemException.badRequest("A JSON request body is required.");
            }
            return; // curl -d without -H: accept, it is still parsed strictly as JSON
        }
        HttpMediaType mediaType = contentType.get();
        String subtype = mediaType.mediaType().subtype();
        if (!"json".equals(subtype) && !subtype.endsWith("+json")) {
            throw new ProblemException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported-media-type", "Unsupported media type",
                                       "Send the body as application/json, not " + mediaType.mediaType().text() + ".");
        }
    }

    private static ProblemException mismatch(MismatchedInputException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        if (field.isEmpty()) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().contains("No content")) {
                return ProblemException.badRequest("A JSON request body is required.");
            }
            return ProblemException.badRequest("The request body has the wrong shape: " + e.getOriginalMessage());
        }
        String message = e instanceof InvalidFormatException ife
                ? "cannot be " + describe(ife.getValue())
                : "has the wrong type";
        if (e.getTargetType() != null) {
            message += " (expected " + simpleType(e.getTargetType()) + ")";
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        errors.add(new Problem.FieldError(field, message));
        return ProblemException.validation(errors);
    }

    private static String describe(Object value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? "\"" + text.substring(0, 40) + "…\"" : "\"" + text + "\"";
    }

    private static String simpleType(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "an object";
    }
}
