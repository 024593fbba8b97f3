package org.heroesinwaiting.core.auth;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argon2id hash in the PHC string format that the reference implementation and password4j
 * write: {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}, salt and hash in
 * standard base64 without padding.
 *
 * @param memoryKib m
 * @param iterations t
 * @param parallelism p
 * @param salt the salt
 * @param hash the derived bytes
 */
record Argon2idHash(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

    /** Version 1.3 of Argon2, the only one written since 2016. */
    static final int VERSION = 19;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");
    /** Bounds on what a stored string may ask for, so that a corrupt row cannot take the server's memory. */
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 100;
    private static final int MAX_PARALLELISM = 16;

    /**
     * @param phc a stored string
     * @return the hash, or empty when it is not an Argon2id v1.3 PHC string within sane bounds
     */
    static Optional<Argon2idHash> parse(String phc) {
        Matcher matcher = PHC.matcher(phc);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int memory = Integer.parseInt(matcher.group(1));
        int iterations = Integer.parseInt(matcher.group(2));
        int parallelism = Integer.parseInt(matcher.group(3));
        if (parallelism < 1 || parallelism > MAX_PARALLELISM || iterations < 1 || iterations > MAX_ITERATIONS
                || memory < 8 * parallelism || memory > MAX_MEMORY_KIB) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Argon2idHash(memory, iterations, parallelism,
                    Base64.getDecoder().decode(matcher.group(4)), Base64.getDecoder().decode(matcher.group(5))));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a length that base64 cannot have
        }
    }

    /** @return the PHC string */
    String format() {
        Base64.Encoder encoder = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=" + VERSION + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + encoder.encodeToString(salt) + "$" + encoder.encodeToString(hash);
    }

    /**
     * @param memoryKib m
     * @param iterations t
     * @param parallelism p
     * @param hashBytes the output length
     * @return whether this hash was made with exactly these parameters and output length
     */
    boolean uses(int memoryKib, int iterations, int parallelism, int hashBytes) {
        return this.memoryKib == memoryKib && this.iterations == iterations && this.parallelism == parallelism
                && hash.length == hashBytes;
    }
}
