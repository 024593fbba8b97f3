package org.heroesinwaiting.core.auth;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A JWS in compact serialisation ({@code header.payload.signature}, RFC 7515 section 7.1), split
 * and decoded, nothing verified. The payload stays encoded until {@link #payload()} is asked for,
 * so that a caller reads claims only once the signature holds.
 *
 * <p>It reads with {@code java.util.Base64} and jakarta.json, which take about a third of the time
 * of nimbus's {@code SignedJWT.parse} and claims parser for a token of ours (JwtVerificationBenchmark);
 * nimbus still issues the tokens.
 */
record CompactJws(JsonObject header, byte[] signingInput, String encodedPayload, byte[] signature) {

    /** A cached factory: looking the JSON provider up costs more than parsing a header. */
    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());

    /**
     * @param token a compact JWS
     * @return its parts
     * @throws InvalidTokenException when it is not three unpadded base64url parts with a JSON header
     */
    static CompactJws parse(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == token.length() - 1 || token.indexOf('.', second + 1) >= 0) {
            throw new InvalidTokenException("not a compact JWS of three parts");
        }
        for (int i = 0; i < token.length(); i++) {
            if (i != first && i != second && !isBase64Url(token.charAt(i))) {
                throw new InvalidTokenException("not a compact JWS: a part is not unpadded base64url");
            }
        }
        JsonObject header = object(decode(token.substring(0, first)), "header");
        return new CompactJws(header, token.substring(0, second).getBytes(StandardCharsets.US_ASCII),
                token.substring(first + 1, second), decode(token.substring(second + 1)));
    }

    /**
     * @return the payload as a JSON object
     * @throws InvalidTokenException when it is not one
     */
    JsonObject payload() {
        return object(decode(encodedPayload), "payload");
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static byte[] decode(String part) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("not a compact JWS: a part is not base64url", e);
        }
    }

    private static JsonObject object(byte[] json, String what) {
        try (JsonReader reader = JSON.createReader(new StringReader(new String(json, StandardCharsets.UTF_8)))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new InvalidTokenException("the " + what + " is not a JSON object", e);
        }
    }
}
