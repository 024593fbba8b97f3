package org.heroesinwaiting.core.auth;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * One HMAC key of the keyring.
 *
 * @param kid its id, in the token's {@code kid} header
 * @param secret at least 32 bytes (HS256 needs 256 bits)
 * @param active whether it signs new tokens (exactly one key does)
 */
public record JwtKey(String kid, byte[] secret, boolean active) {

    /** The shortest secret accepted, in bytes. */
    public static final int MINIMUM_SECRET_BYTES = 32;

    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Validates and copies the secret. */
    public JwtKey {
        requireNonNull(kid, "kid");
        requireNonNull(secret, "secret");
        if (!KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("a key id is 1 to 64 letters, digits, '.', '_' or '-', not '" + kid + "'");
        }
        if (secret.length < MINIMUM_SECRET_BYTES) {
            throw new IllegalArgumentException("key " + kid + " has " + secret.length + " bytes; HS256 needs at least "
                    + MINIMUM_SECRET_BYTES);
        }
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "JwtKey[" + kid + (active ? ", active" : "") + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JwtKey key && key.kid.equals(kid) && key.active == active
                && java.security.MessageDigest.isEqual(key.secret, secret);
    }

    @Override
    public int hashCode() {
        return kid.hashCode();
    }
}
