package org.heroesinwaiting.core.auth;

import static java.util.Objects.requireNonNull;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;

/**
 * Argon2id with OWASP's parameters (m = 19456 KiB, t = 2, p = 1), stored as a PHC string
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}). CPU-heavy: call it through a
 * {@link HashingPool} so a flood of logins cannot starve the rest of the server.
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

    private static final PasswordHasher STANDARD = new PasswordHasher(MEMORY_KIB, ITERATIONS, PARALLELISM);

    private final Argon2Function function;
    /** Verified against when the email is unknown, so that the answer takes as long as a real check. */
    private final String decoy;

    /**
     * @param memoryKib memory in KiB
     * @param iterations passes
     * @param parallelism lanes
     */
    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        this.function = Argon2Function.getInstance(memoryKib, iterations, parallelism, HASH_BYTES, Argon2.ID, 19);
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
        return function.hash(password).getResult();
    }

    /**
     * @param password what was typed
     * @param stored a PHC string from {@link #hash}
     * @return whether it matches, and whether the stored hash should be replaced
     */
    public PasswordCheck verify(String password, String stored) {
        requireNonNull(password, "password");
        requireNonNull(stored, "stored");
        Argon2Function storedFunction;
        try {
            storedFunction = Argon2Function.getInstanceFromHash(stored);
        } catch (RuntimeException e) {
            return new PasswordCheck(false, true); // not an Argon2 PHC string: it can match nothing
        }
        boolean matches = storedFunction.check(password, stored);
        return new PasswordCheck(matches, matches && !storedFunction.equals(function));
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
}
