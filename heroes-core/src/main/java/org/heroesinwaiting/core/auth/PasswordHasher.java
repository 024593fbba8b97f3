package org.heroesinwaiting.core.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Argon2id with OWASP's parameters (m = 19456 KiB, t = 2, p = 1), stored as a PHC string
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}). CPU-heavy: call it through a
 * {@link HashingPool} so a flood of logins cannot starve the rest of the server.
 *
 * <p>{@code Argon2id} derives the bytes, on one array of the 19 MiB the parameters ask for, and
 * gives way to other threads every 64 blocks it fills ({@link Thread#yield}), so that a login's
 * 20 ms of hashing keeps a core a request waits for about 40 microseconds at a time. Hashes
 * written by password4j, by Bouncy Castle, or by any implementation of the PHC format, verify
 * unchanged.
 *
 * <pre>{@code
 * String stored = PasswordHasher.standard().hash(password);
 * PasswordCheck check = PasswordHasher.standard().verify(typed, stored);
 * }</pre>
 */
public final class PasswordHasher {

    /** Memory in KiB. */
    public static final int MEMORY_KIB = 19456;
    /** Passes over the memory. */
    public static final int ITERATIONS = 2;
    /** Lanes. */
    public static final int PARALLELISM = 1;
    private static final int HASH_BYTES = 32;
    private static final int SALT_BYTES = 16;
    private static final byte[] NONE = new byte[0];

    private static final PasswordHasher STANDARD = new PasswordHasher(MEMORY_KIB, ITERATIONS, PARALLELISM);

    private final SecureRandom random = new SecureRandom();
    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    /** Verified against when the email is unknown, so that the answer takes as long as a real check. */
    private final String decoy;

    /**
     * @param memoryKib memory in KiB (at least 8 per lane)
     * @param iterations passes (at least 1)
     * @param parallelism lanes (at least 1)
     */
    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        if (parallelism < 1 || iterations < 1 || memoryKib < 8 * parallelism) {
            throw new IllegalArgumentException("Argon2id needs p >= 1, t >= 1 and m >= 8p; got m=" + memoryKib
                    + ", t=" + iterations + ", p=" + parallelism);
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.decoy = hash("decoy password that matches nothing");
    }

    /** @return the product's hasher, with OWASP's parameters */
    public static PasswordHasher standard() {
        return STANDARD;
    }

    /**
     * @param password the password
     * @return its PHC string, with a new random salt
     */
    public String hash(String password) {
        requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new Argon2idHash(memoryKib, iterations, parallelism, salt,
                derive(password, memoryKib, iterations, parallelism, salt, HASH_BYTES)).format();
    }

    /**
     * @param password what was typed
     * @param stored a PHC string from {@link #hash}
     * @return whether it matches, and whether the stored hash should be replaced
     */
    public PasswordCheck verify(String password, String stored) {
        requireNonNull(password, "password");
        requireNonNull(stored, "stored");
        Optional<Argon2idHash> parsed = Argon2idHash.parse(stored);
        if (parsed.isEmpty()) {
            return new PasswordCheck(false, true); // not an Argon2id PHC string: it can match nothing
        }
        Argon2idHash expected = parsed.get();
        byte[] actual = derive(password, expected.memoryKib(), expected.iterations(), expected.parallelism(), expected.salt(),
                expected.hash().length);
        boolean matches = MessageDigest.isEqual(actual, expected.hash());
        return new PasswordCheck(matches, matches && !expected.uses(memoryKib, iterations, parallelism, HASH_BYTES));
    }

    /**
     * Spends the same work as {@link #verify} and matches nothing: for an unknown email, so that
     * its answer cannot be told from a wrong password's by its timing.
     *
     * @param password what was typed
     * @return always a non-matching check
     */
    public PasswordCheck verifyAgainstNothing(String password) {
        verify(password, decoy);
        return new PasswordCheck(false, false);
    }

    private static byte[] derive(String password, int memoryKib, int iterations, int parallelism, byte[] salt, int length) {
        byte[] typed = password.getBytes(StandardCharsets.UTF_8);
        try {
            return Argon2id.derive(typed, salt, NONE, NONE, memoryKib, iterations, parallelism, length, Thread::yield);
        } finally {
            Arrays.fill(typed, (byte) 0);
        }
    }
}
