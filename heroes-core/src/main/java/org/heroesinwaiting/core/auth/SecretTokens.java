package org.heroesinwaiting.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Opaque tokens (refresh tokens, student tokens): 256 random bits, given to the client once, stored
 * only as their SHA-256.
 *
 * <pre>{@code
 * String token = SecretTokens.generate();       // to the client
 * byte[] stored = SecretTokens.sha256(token);   // to the database
 * }</pre>
 */
public final class SecretTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Cloned for each hash: cheaper than a provider lookup on every request (JoinBench's profile). */
    private static final MessageDigest SHA_256 = sha256Digest();

    private SecretTokens() {
    }

    /** @return 256 random bits, base64url without padding (43 characters) */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * @param token a token as the client sent it
     * @return its SHA-256 (32 bytes)
     */
    public static byte[] sha256(String token) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            digest = sha256Digest();
        }
        return digest.digest(token.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
