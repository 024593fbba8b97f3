package org.heroesinwaiting.core.auth;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The keys that sign and verify access tokens. Exactly one key is active and signs; every listed
 * key verifies, so keys rotate without logging anyone out: add the new key as active, mark the old
 * one inactive, and remove it once its tokens have expired.
 *
 * <pre>{@code
 * {"keys": [{"kid": "2026-11", "secret": "<base64url, at least 32 bytes>", "active": true}]}
 * }</pre>
 *
 * @param keys the keys
 */
public record JwtKeyring(List<JwtKey> keys) {

    /** Validates: unique ids, exactly one active key. */
    public JwtKeyring {
        keys = List.copyOf(keys);
        Set<String> ids = new HashSet<>();
        for (JwtKey key : keys) {
            if (!ids.add(key.kid())) {
                throw new IllegalArgumentException("the keyring lists key " + key.kid() + " twice");
            }
        }
        long active = keys.stream().filter(JwtKey::active).count();
        if (active != 1) {
            throw new IllegalArgumentException("exactly one key must be active; " + active + " are");
        }
    }

    /**
     * @param json the keyring file's text
     * @return the keyring
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static JwtKeyring parse(String json) {
        JsonObject root;
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            root = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("the keyring is not a JSON object: " + e.getMessage(), e);
        }
        JsonValue listed = root.get("keys");
        if (!(listed instanceof JsonArray array)) {
            throw new IllegalArgumentException("the keyring needs a \"keys\" array");
        }
        return new JwtKeyring(array.stream().map(JwtKeyring::key).toList());
    }

    private static JwtKey key(JsonValue value) {
        if (!(value instanceof JsonObject object) || !object.containsKey("kid") || !object.containsKey("secret")) {
            throw new IllegalArgumentException("each key needs \"kid\" and \"secret\"");
        }
        byte[] secret;
        try {
            secret = Base64.getUrlDecoder().decode(object.getString("secret"));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("the secret of key " + object.get("kid") + " is not base64url", e);
        }
        return new JwtKey(object.getString("kid"), secret, object.getBoolean("active", false));
    }

    /** @return the key that signs */
    public JwtKey activeKey() {
        return keys.stream().filter(JwtKey::active).findFirst().orElseThrow();
    }

    /**
     * @param kid a token's {@code kid} header
     * @return the key, when the keyring lists it
     */
    public Optional<JwtKey> find(String kid) {
        return keys.stream().filter(key -> key.kid().equals(kid)).findFirst();
    }
}
