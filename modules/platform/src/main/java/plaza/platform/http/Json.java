package plaza.platform.http;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * JSON in and out of handlers, and Plaza's one policy for what a JSON text from a client may hold.
 * Every body ({@link #read}) and every WebSocket frame or import line ({@link #parse}) goes through
 * the same steps, and each refusal is a 400 problem in the client's terms (a field path such as
 * {@code ingredients[0].name}, the expected type, or a line and column), naming no Java class:
 * <ol>
 * <li>the bytes must be UTF-8, strictly: CESU-8 surrogates, overlong forms and truncated sequences
 *     are refused (Jackson would decode them to U+D800 or '/');</li>
 * <li>the syntax is parsed with bounds on cost: nesting at most {@value #MAX_DEPTH} levels, a number
 *     at most {@value #MAX_NUMBER_LENGTH} characters, and a key given twice in one object refused;</li>
 * <li>every string and key must pass {@link Validation#textProblem} (no NUL, no C0 controls but
 *     tab/CR/LF, no unpaired surrogate);</li>
 * <li>every number must be a 64-bit integer or a finite double of normal size: {@code 2^63},
 *     {@code 1e309} and {@code 1e-100000} are refused before any code computes with them;</li>
 * <li>then the tree is bound to the handler's type; a wrong type names the field.</li>
 * </ol>
 * A body that is not JSON at all (by its Content-Type) is a 415.
 */
public final class Json {

    /** Deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 64;
    /** Longest number accepted, in characters (sign, digits, point and exponent). */
    public static final int MAX_NUMBER_LENGTH = 100;
    private static final java.util.regex.Pattern UNRECOGNIZED_TOKEN = java.util.regex.Pattern.compile("Unrecognized token '([^']*)'");
    /** At most this many field errors are listed for one text. */
    private static final int MAX_ERRORS = 20;

    /** Shared mapper: ISO-8601 instants, unknown fields ignored (clients may send more than we read). */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        // {"content": 42} is a client bug, not the string "42": no silent scalar coercion.
        MAPPER.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        MAPPER.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        // Deeply nested or very long numbers must fail fast, before anything is built from them.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER_LENGTH).build());
    }

    /**
     * Reads client text as a tree: floats stay exact decimals (so their size can be checked before any
     * conversion), trailing tokens are checked here (to say where), duplicate keys are refused.
     */
    private static final ObjectReader TREE_READER = MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private Json() {
    }

    /** Reads the request body, a JSON object, as {@code type}; see the class comment for the errors. */
    public static <T> T read(ServerRequest req, Class<T> type) {
        requireJsonContent(req);
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw ProblemException.badRequest("The request body could not be read completely.");
        }
        String text = decodeUtf8(bytes);
        if (text.isBlank()) {
            throw ProblemException.badRequest("A JSON request body is required.");
        }
        JsonNode node = parse(text);
        if (!node.isObject()) {
            throw ProblemException.badRequest("The request body must be a JSON object, not " + kind(node) + ".");
        }
        return convert(node, type);
    }

    /**
     * Decodes client bytes as strict UTF-8 (a leading byte order mark is dropped); anything else is a
     * 400 saying at which byte.
     */
    public static String decodeUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw ProblemException.badRequest("The request body is not valid UTF-8: the sequence at byte " + (in.position() + 1)
                                              + " is invalid or incomplete.");
        }
        out.flip();
        if (out.hasRemaining() && out.charAt(0) == '\uFEFF') {
            out.position(1);
        }
        return out.toString();
    }

    /**
     * Parses a JSON text (a body, a WebSocket frame, a line of an import) as a tree and checks every
     * string and number in it (see the class comment); anything refused is a 400.
     */
    public static JsonNode parse(String text) {
        JsonNode node = parseSyntax(text);
        List<Problem.FieldError> errors = valueProblems(node, "");
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return node;
    }

    /**
     * The syntax steps of {@link #parse} only (nesting, number length, duplicate keys, trailing data; a 400 on
     * failure), for callers that judge parts of the tree separately with {@link #valueProblems}: a batch of
     * events keeps its good events and refuses the others by index.
     */
    public static JsonNode parseSyntax(String text) {
        JsonNode node;
        try (JsonParser parser = TREE_READER.createParser(text)) {
            try {
                node = TREE_READER.readTree(parser);
            } catch (NumberFormatException e) {
                // An exponent beyond what BigDecimal holds (1e-2147483649) fails as it is read.
                throw malformed(parser.currentLocation(), 1, "a number's exponent is out of range");
            }
            if (node == null || node.isMissingNode()) {
                throw ProblemException.badRequest("Empty JSON text.");
            }
            if (parser.nextToken() != null) {
                throw malformed(parser.currentTokenLocation(), 0, "more data after the JSON value");
            }
        } catch (StreamConstraintsException e) {
            throw malformed(e.getLocation(), 1, constraint(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw malformed(e.getLocation(), back(e.getOriginalMessage()), clean(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ProblemException.badRequest("Malformed JSON.");
        }
        return node;
    }

    /**
     * The value steps of {@link #parse} (the text rule on every string and key, the number bounds) on a tree or
     * a part of one, whose fields are named from {@code path} ({@code ""}: the root); empty when it passes.
     */
    public static List<Problem.FieldError> valueProblems(JsonNode node, String path) {
        List<Problem.FieldError> errors = new ArrayList<>();
        check(node, path, errors);
        return errors;
    }

    /** Converts a tree from {@link #parse} to {@code type}; a wrong type is a 400 naming the field. */
    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            T value = MAPPER.treeToValue(node, type);
            if (value == null) {
                throw ProblemException.badRequest("Expected a JSON object, not null.");
            }
            return value;
        } catch (JsonMappingException e) {
            throw mismatch(node, e);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("The JSON value has the wrong shape.");
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("The JSON value has the wrong shape.");
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

    /** The text rule and the number bounds, applied to every value and key of a parsed tree. */
    private static void check(JsonNode node, String path, List<Problem.FieldError> errors) {
        if (errors.size() >= MAX_ERRORS) {
            return;
        }
        if (node.isTextual()) {
            String problem = Validation.textProblem(node.textValue());
            if (problem != null) {
                errors.add(new Problem.FieldError(fieldName(path), problem));
            }
        } else if (node.isNumber()) {
            String problem = numberProblem(node);
            if (problem != null) {
                errors.add(new Problem.FieldError(fieldName(path), problem));
            }
        } else if (node.isObject()) {
            for (var fields = node.fields(); fields.hasNext(); ) {
                var field = fields.next();
                String problem = Validation.textProblem(field.getKey());
                if (problem != null) {
                    // The key itself is not echoed: it may not even be printable as JSON.
                    errors.add(new Problem.FieldError(fieldName(path), "has a key that " + problem));
                    continue;
                }
                check(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    /**
     * Why a number is refused, or null. Integers must fit a long; decimals a finite double of normal
     * size. The decimal's exponent is computed from its digit count and scale, never by expanding it.
     */
    private static String numberProblem(JsonNode node) {
        if (node.isBigInteger()) {
            return node.bigIntegerValue().bitLength() > 63 ? "is out of range (whole numbers must be between "
                    + Long.MIN_VALUE + " and " + Long.MAX_VALUE + ")" : null;
        }
        if (node.isFloatingPointNumber() && !node.isBigDecimal() && !Double.isFinite(node.doubleValue())) {
            return "is out of range (numbers must be at most 1.7976931348623157e308 in size)"; // 1e309 is read as infinity
        }
        if (node.isBigDecimal()) {
            BigDecimal value = node.decimalValue();
            if (value.signum() == 0) {
                return null;
            }
            long exponent = (long) value.precision() - value.scale() - 1;
            if (exponent > 308 || Double.isInfinite(value.doubleValue())) {
                return "is out of range (numbers must be at most 1.7976931348623157e308 in size)";
            }
            if (exponent < -307) {
                return "is out of range (numbers other than 0 must be at least 1e-307 in size)";
            }
        }
        return null;
    }

    private static String fieldName(String path) {
        String name = path.isEmpty() ? "body" : path;
        return name.length() > 200 ? name.substring(0, 200) + "…" : name;
    }

    /** {@code back}: Jackson reports an error's location just after the character it refused. */
    private static ProblemException malformed(JsonLocation location, int back, String reason) {
        String where = location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + Math.max(1, location.getColumnNr() - back);
        return ProblemException.badRequest("Malformed JSON" + where + ": " + reason + ".");
    }

    /** How far before Jackson's location the refused input starts: an unrecognized token is reported at its end. */
    private static int back(String message) {
        var token = UNRECOGNIZED_TOKEN.matcher(message == null ? "" : message);
        return token.lookingAt() ? token.group(1).length() : 1;
    }

    /** A limit of {@link StreamReadConstraints} in the client's terms. */
    private static String constraint(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("nesting")) {
            return "arrays and objects are nested deeper than " + MAX_DEPTH + " levels";
        }
        if (m.contains("number")) {
            return "a number is longer than " + MAX_NUMBER_LENGTH + " characters";
        }
        if (m.contains("string")) {
            return "a string is too long";
        }
        return "the JSON text exceeds a size limit";
    }

    /**
     * Jackson's syntax message without what names its own classes, features or a copy of the input:
     * "Unexpected character ('}' (code 125)): was expecting double-quote to start field name" stays,
     * "(start marker at [Source: …])" and "enable `JsonReadFeature…`" go.
     */
    private static String clean(String message) {
        if (message == null || message.isBlank()) {
            return "invalid syntax";
        }
        String m = message;
        if (m.startsWith("Unexpected close marker") && m.contains("(for root")) {
            m = m.substring(0, Math.min(m.length(), "Unexpected close marker 'x'".length())) + " after the end of the JSON value";
        }
        for (String cut : List.of("\n", " (start marker", " (for ", ": enable `", "; enable `", " at [Source", " [Source")) {
            int at = m.indexOf(cut);
            if (at >= 0) {
                m = m.substring(0, at);
            }
        }
        if (m.contains("`") || m.contains("JsonToken") || m.contains("com.fasterxml") || m.contains("Exception")) {
            return "invalid syntax";
        }
        if (m.startsWith("Duplicate field ")) {
            m = "a key appears twice in one object: " + m.substring("Duplicate field ".length());
        }
        return printable(m.length() > 200 ? m.substring(0, 200) + "…" : m);
    }

    /** Unpaired surrogates (and so possibly a cut pair) replaced, so the message itself is valid text. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) || c < 0x20 ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private static ProblemException mismatch(JsonNode root, JsonMappingException e) {
        String path = path(e.getPath());
        if (path.isEmpty()) {
            return ProblemException.badRequest(root.isObject() ? "The JSON object does not have the expected shape."
                                                       : "Expected a JSON object, not " + kind(root) + ".");
        }
        JsonNode actual = at(root, e.getPath());
        Class<?> target = e instanceof MismatchedInputException mie ? mie.getTargetType()
                : e.getCause() instanceof InputCoercionException ice ? ice.getTargetType() : null;
        String message;
        if (e.getCause() instanceof InputCoercionException) {
            message = "is out of range";
        } else if (e instanceof InvalidFormatException ife && actual != null && actual.isTextual()) {
            message = "cannot be " + describe(ife.getValue());
        } else if (e instanceof MismatchedInputException) {
            message = actual != null ? "cannot be " + kind(actual) : "has the wrong type";
        } else {
            message = "has an invalid value";
        }
        if (target != null) {
            message += " (expected " + simpleType(target) + ")";
        }
        return ProblemException.validation(List.of(new Problem.FieldError(fieldName(path), message)));
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The node a mapping error's path leads to, or null. */
    private static JsonNode at(JsonNode root, List<JsonMappingException.Reference> references) {
        JsonNode node = root;
        for (JsonMappingException.Reference ref : references) {
            if (node == null) {
                return null;
            }
            node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : ref.getIndex() >= 0 ? node.get(ref.getIndex()) : null;
        }
        return node;
    }

    /** What a JSON value is, in JSON's terms. */
    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case NULL -> "null";
            default -> "that value";
        };
    }

    private static String describe(Object value) {
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            return "that value";
        }
        String text = String.valueOf(value);
        if (text.codePointCount(0, text.length()) > 40) {
            text = text.substring(0, text.offsetByCodePoints(0, 40)) + "…";
        }
        return "\"" + printable(text) + "\"";
    }

    private static String simpleType(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Short.class || type == short.class) {
            return "a whole number between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class || type == java.math.BigInteger.class) {
            return "a whole number";
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
        if (type == java.util.UUID.class) {
            return "a UUID string";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 time string";
        }
        return "an object";
    }
}
