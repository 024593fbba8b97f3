package org.heroesinwaiting.persistence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.heroesinwaiting.core.Page;

/**
 * Where a page of a keyset-paginated list ended: the (time, id) of its last row, opaque to
 * clients. Query {@code limit + 1} rows ordered by (time, id) and hand them to {@link #page}.
 *
 * @param at the last row's time
 * @param id the last row's id
 */
public record KeysetCursor(Instant at, UUID id) {

    /** @return the cursor as clients see it */
    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((at + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param text a cursor from {@link #encode}, or {@code null} or empty for the first page
     * @return the cursor, or {@code null} for the first page
     * @throws IllegalArgumentException when this library did not make it
     */
    public static KeysetCursor parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", 2);
            return new KeysetCursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a cursor this server made: " + text, e);
        }
    }

    /**
     * @param rows up to {@code limit + 1} rows in the list's order
     * @param limit the page size asked for
     * @param cursorOf the cursor of a row
     * @param <T> the row type
     * @return the first {@code limit} rows, with a cursor when there were more
     */
    public static <T> Page<T> page(List<T> rows, int limit, Function<T, KeysetCursor> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(items, cursorOf.apply(items.get(limit - 1)).encode());
    }
}
