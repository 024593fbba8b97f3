package org.heroesinwaiting.core;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a list, and where the next one starts.
 *
 * @param items the items
 * @param nextCursor pass it back for the next page; {@code null} on the last page
 * @param <T> the item type
 */
public record Page<T>(List<T> items, String nextCursor) {

    /** The most items a page holds. */
    public static final int MAXIMUM_LIMIT = 200;
    /** The items of a page when the caller does not say. */
    public static final int DEFAULT_LIMIT = 50;

    /** Copies. */
    public Page {
        items = List.copyOf(items);
    }

    /**
     * @param mapper what each item becomes
     * @param <R> the new item type
     * @return the same page of the mapped items, with the same cursor
     */
    public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), nextCursor);
    }

    /** @return the cursor of the next page, if there is one */
    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}
