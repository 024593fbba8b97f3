package org.heroesinwaiting.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.UUID;
import org.heroesinwaiting.core.WireFormats;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsonp.JSONPModule;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON the way the API speaks it: snake_case names, ISO-8601 times, unknown properties refused,
 * and {@code jakarta.json} values for free-form JSON. {@link #read} turns every way a body can be
 * wrong into the right problem, in the order API.md gives: 413, 415, then 400.
 */
public final class Json {

    /** The deepest nesting a body may have; the API's bodies need 4 levels. */
    public static final int MAX_DEPTH = 32;
    /** The longest number a body may hold, in characters. */
    public static final int MAX_NUMBER_LENGTH = 100;

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    private static final ObjectMapper MAPPER = createMapper();
    /** A record's components with their JSON names, looked up once per type instead of by reflection on every request. */
    private static final ClassValue<List<Component>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            return Arrays.stream(type.getRecordComponents())
                    .map(component -> new Component(SNAKE_CASE.translate(component.getName()), component.getType()))
                    .toList();
        }
    };

    /** A body record's field: its JSON name and its type. */
    private record Component(String name, Class<?> type) {
    }

    private Json() {
    }

    /** @return the server's configured mapper (shared, thread-safe) */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads the body as a {@code type}.
     *
     * @param ctx the request
     * @param type the body's record type
     * @param maxBytes the largest body accepted
     * @param <T> the type
     * @return the parsed body
     * @throws ProblemException payload-too-large, unsupported-media-type, malformed-json or validation-failed
     */
    public static <T> T read(Context ctx, Class<T> type, long maxBytes) {
        if (ctx.contentLength() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        requireJson(ctx.header("Content-Type"));
        byte[] body = body(ctx, maxBytes);
        JsonNode tree = syntax(body);
        List<FieldError> errors = new ArrayList<>();
        unstorable(tree, "", errors);
        nulls(tree, type, "", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        try {
            T value = tree == null || tree.isMissingNode() ? null : MAPPER.treeToValue(tree, type);
            if (value == null) {
                throw new ProblemException(ProblemType.VALIDATION_FAILED, "the body is null; a JSON object is expected",
                        List.of(new FieldError("", "must be an object")), Map.of());
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ProblemException.validation(List.of(new FieldError(pointer(e), "unknown property '" + e.getPropertyName() + "'")));
        } catch (InvalidFormatException e) {
            throw ProblemException.validation(List.of(new FieldError(pointer(e),
                    "expected " + describe(e.getTargetType()) + ", got " + String.valueOf(e.getValue()))));
        } catch (MismatchedInputException e) {
            throw ProblemException.validation(List.of(new FieldError(pointer(e), mismatch(e))));
        } catch (JsonMappingException e) {
            // a record constructor refused a value: its message says why
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw ProblemException.validation(List.of(new FieldError(pointer(e), String.valueOf(cause.getMessage()))));
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
    }

    /**
     * Reads the body's bytes: 413 past the limit (Javalin stops reading there; a chunked body has no
     * length to check first), 400 when its framing is broken (an invalid chunk size) or it ends early.
     *
     * @param ctx the request
     * @param maxBytes the largest body accepted
     * @return the bytes
     * @throws ProblemException payload-too-large or bad-request
     */
    public static byte[] body(Context ctx, long maxBytes) {
        try {
            return ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            if (e.getStatus() == 413) {
                throw tooLarge(maxBytes);
            }
            throw e;
        } catch (Exception e) { // Jetty's IOExceptions arrive undeclared through Kotlin
            if (Problems.isBrokenRequest(e)) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "the body could not be read: its framing is broken or it ended early");
            }
            throw e;
        }
    }

    /**
     * Refuses a body that is not JSON in UTF-8: a media type other than {@code application/json}
     * (or {@code application/*+json}), or a charset other than UTF-8. RFC 8259 says JSON exchanged
     * between systems is UTF-8; a client that says otherwise hears so instead of being misread.
     *
     * @param contentType the request's {@code Content-Type}, or null
     * @throws ProblemException unsupported-media-type
     */
    public static void requireJson(String contentType) {
        if (contentType == null || !isJson(contentType)) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "send the body as application/json, not " + (contentType == null ? "no content type" : contentType));
        }
        String[] parameters = contentType.split(";");
        for (int i = 1; i < parameters.length; i++) {
            String[] pair = parameters[i].split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                String charset = pair[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                            "send JSON in UTF-8 (charset=utf-8, or no charset), not charset=" + charset);
                }
            }
        }
    }

    /**
     * Parses a body for its syntax only, within the API's limits: at most {@link #MAX_DEPTH} levels
     * of nesting, numbers of at most {@link #MAX_NUMBER_LENGTH} characters, one document.
     *
     * @param body the bytes (UTF-8)
     * @return the tree
     * @throws ProblemException malformed-json, saying what is wrong in the client's terms
     */
    public static JsonNode syntax(byte[] body) {
        if (body.length == 0) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "the body is empty; a JSON object is expected");
        }
        try {
            // syntax first: a truncated document is malformed JSON, not a field of the wrong shape
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "the body could not be read");
        }
    }

    private static ProblemException malformed(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        String message = String.valueOf(e.getOriginalMessage());
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            String what = message.contains("nesting depth") ? "nests arrays and objects deeper than " + MAX_DEPTH + " levels"
                    : message.contains("Number value length") || message.contains("number length")
                            ? "holds a number longer than " + MAX_NUMBER_LENGTH + " characters" : "is larger than the server reads";
            return new ProblemException(ProblemType.MALFORMED_JSON, "the body " + what + where);
        }
        if (message.contains("Trailing token")) {
            return new ProblemException(ProblemType.MALFORMED_JSON, "the body holds more after its JSON document" + where);
        }
        if (message.contains("Invalid UTF-8")) {
            return new ProblemException(ProblemType.MALFORMED_JSON, "the body is not valid UTF-8" + where);
        }
        return new ProblemException(ProblemType.MALFORMED_JSON, "the body is not valid JSON" + where);
    }

    /** A NUL cannot be stored in PostgreSQL text, a lone surrogate has no UTF-8 form: neither is kept as sent. */
    private static void unstorable(JsonNode node, String pointer, List<FieldError> errors) {
        if (node.isTextual()) {
            if (WireFormats.firstUnstorable(node.textValue()) >= 0) {
                errors.add(new FieldError(pointer, "holds a NUL character or an unpaired UTF-16 surrogate"));
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = pointer + "/" + escape(field.getKey());
                if (WireFormats.firstUnstorable(field.getKey()) >= 0) {
                    errors.add(new FieldError(at, "its name holds a NUL character or an unpaired UTF-16 surrogate"));
                }
                unstorable(field.getValue(), at, errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                unstorable(node.get(i), pointer + "/" + i, errors);
            }
        }
    }

    /**
     * JSON null is refused for every field of a body record but those typed {@code JsonNode}, which
     * say themselves what null means (a code's expiry: null clears it). Absent and null are not the
     * same thing, and a client that sends null where the API has no meaning for it hears so.
     */
    private static void nulls(JsonNode node, Class<?> type, String pointer, List<FieldError> errors) {
        if (!type.isRecord() || node == null || !node.isObject()) {
            return;
        }
        for (Component component : COMPONENTS.get(type)) {
            JsonNode value = node.get(component.name());
            if (value == null) {
                continue;
            }
            if (value.isNull() && !JsonNode.class.isAssignableFrom(component.type())) {
                errors.add(new FieldError(pointer + "/" + component.name(), "must not be null"));
            } else if (component.type().isRecord()) {
                nulls(value, component.type(), pointer + "/" + component.name(), errors);
            }
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /**
     * @param value anything
     * @return its JSON text
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getName(), e);
        }
    }

    static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private static ProblemException tooLarge(long maxBytes) {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
    }

    private static String pointer(JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            pointer.append('/');
            if (reference.getFieldName() != null) {
                pointer.append(reference.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else {
                pointer.append(reference.getIndex());
            }
        }
        return pointer.toString();
    }

    private static String mismatch(MismatchedInputException e) {
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Missing required creator property")) {
            return "is required";
        }
        return "expected " + describe(e.getTargetType());
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT);
        }
        if (type.getName().startsWith("java.time.")) {
            return WireFormats.INSTANT_FORM;
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        return "an object";
    }

    /** UUIDs and times in bodies only in their strict forms ({@link WireFormats}); "" is not a UUID. */
    private static com.fasterxml.jackson.databind.Module strictScalars() {
        com.fasterxml.jackson.databind.module.SimpleModule module = new com.fasterxml.jackson.databind.module.SimpleModule("heroes-strict");
        module.addDeserializer(UUID.class, new StdScalarDeserializer<UUID>(UUID.class) {
            @Override
            public UUID deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                String text = parser.currentToken() == JsonToken.VALUE_STRING ? parser.getText() : null;
                return WireFormats.uuid(text).orElseThrow(() -> InvalidFormatException.from(parser, "not a UUID", text, UUID.class));
            }
        });
        module.addDeserializer(Instant.class, new StdScalarDeserializer<Instant>(Instant.class) {
            @Override
            public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                String text = parser.currentToken() == JsonToken.VALUE_STRING ? parser.getText() : null;
                return WireFormats.instant(text).orElseThrow(() -> InvalidFormatException.from(parser, "not a time", text, Instant.class));
            }
        });
        return module;
    }

    private static ObjectMapper createMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER_LENGTH).build())
                .build();
        ObjectMapper mapper = JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(new JSONPModule())
                .addModule(strictScalars())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // "12" is no number and 12 no string: a client that sends the wrong type hears so
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (CoercionInputShape shape : new CoercionInputShape[] {
            CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }
}
