package org.heroesinwaiting.server.http;

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

    private static final ObjectMapper MAPPER = createMapper();

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
        String contentType = ctx.contentType();
        if (contentType == null || !isJson(contentType)) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "send the body as application/json, not " + (contentType == null ? "no content type" : contentType));
        }
        byte[] body;
        try {
            body = ctx.bodyAsBytes(); // Javalin stops reading past its limit (a chunked body has no length)
        } catch (HttpResponseException e) {
            if (e.getStatus() == 413) {
                throw tooLarge(maxBytes);
            }
            throw e;
        }
        if (body.length == 0) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "the body is empty; a JSON object is expected");
        }
        JsonNode tree;
        try {
            // syntax first: a truncated document is malformed JSON, not a field of the wrong shape
            tree = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "the body could not be read: " + e.getMessage());
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
            throw new ProblemException(ProblemType.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage());
        }
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
            return "an ISO-8601 time";
        }
        return "an object";
    }

    private static ObjectMapper createMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new JSONPModule())
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
