package org.heroesinwaiting.core;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The strict forms of values that arrive as text (in JSON bodies, paths, query strings), one rule
 * each for every caller. Java's own parsers are lenient in ways a client must not rely on:
 * {@code Instant.parse} takes {@code +275760-09-13T00:00:00Z} and years before the common era,
 * {@code UUID.fromString} takes {@code 1-1-1-1-1}, {@code Integer.parseInt} takes fullwidth digits.
 *
 * <pre>{@code
 * Instant at = WireFormats.instant("2026-12-01T15:00:00Z").orElseThrow();
 * Optional<Instant> none = WireFormats.instant("2026-12-01T24:00:00Z"); // empty
 * }</pre>
 */
public final class WireFormats {

    /** RFC 3339 section 5.6 date-time: four-digit year, hours 00-23, a zone of Z or an offset. */
    private static final Pattern DATE_TIME = Pattern.compile(
            "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?"
                    + "([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** What a client is told a time must look like. */
    public static final String INSTANT_FORM = "an RFC 3339 time like 2026-12-01T15:00:00Z";

    private WireFormats() {
    }

    /**
     * @param text an RFC 3339 date-time, any offset
     * @return the instant, or empty when the text is not one (or names a day that does not exist)
     */
    public static Optional<Instant> instant(String text) {
        if (text == null || !DATE_TIME.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.toUpperCase(java.util.Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant());
        } catch (DateTimeException e) {
            return Optional.empty(); // February 30th and its kind
        }
    }

    /**
     * @param text a UUID in its canonical 36-character form, either case
     * @return the UUID, or empty
     */
    public static Optional<UUID> uuid(String text) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text));
    }

    /**
     * @param text a non-negative whole number in ASCII digits, at most 9 of them
     * @return its value, or empty
     */
    public static OptionalInt number(String text) {
        if (text == null || text.isEmpty() || text.length() > 9) {
            return OptionalInt.empty();
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalInt.empty();
            }
            value = value * 10 + (c - '0');
        }
        return OptionalInt.of(value);
    }

    /**
     * @param text any text
     * @return the index of its first unpaired UTF-16 surrogate or NUL, or -1: neither can be stored
     *     as sent (PostgreSQL text holds no NUL; a lone surrogate has no UTF-8 form)
     */
    public static int firstUnstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
