package org.heroesinwaiting.core.classroom;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * A classroom's join code: 8 characters of an alphabet without the look-alikes 0, O, 1, I and L
 * (31 symbols, about 40 bits), drawn with {@link SecureRandom}. Accepted case-insensitively with
 * spaces and dashes ignored; shown as {@code ABCD-EFGH}.
 *
 * <pre>{@code
 * JoinCode code = JoinCode.parse(" abcd-efgh ").orElseThrow(); // ABCDEFGH
 * code.display();                                              // "ABCD-EFGH"
 * }</pre>
 *
 * @param value the 8 canonical characters
 */
public record JoinCode(String value) {

    /** The symbols a code is made of. */
    public static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    /** A code's length. */
    public static final int LENGTH = 8;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Validates. */
    public JoinCode {
        requireNonNull(value, "value");
        if (!isCanonical(value)) {
            throw new IllegalArgumentException("a join code is " + LENGTH + " characters of " + ALPHABET);
        }
    }

    /**
     * @param typed what a student typed
     * @return the code, when it is one after upper-casing and removing spaces and dashes
     */
    public static Optional<JoinCode> parse(String typed) {
        if (typed == null || typed.length() > 64) {
            return Optional.empty();
        }
        String canonical = typed.replace(" ", "").replace("-", "").toUpperCase(Locale.ROOT);
        return isCanonical(canonical) ? Optional.of(new JoinCode(canonical)) : Optional.empty();
    }

    /** @return a new random code */
    public static JoinCode generate() {
        char[] symbols = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            symbols[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new JoinCode(new String(symbols));
    }

    /** @return the code as people read it: {@code ABCD-EFGH} */
    public String display() {
        return value.substring(0, LENGTH / 2) + "-" + value.substring(LENGTH / 2);
    }

    private static boolean isCanonical(String value) {
        if (value.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            if (ALPHABET.indexOf(value.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return display();
    }
}
