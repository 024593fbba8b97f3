package org.heroesinwaiting.server.http;

import static java.util.Objects.requireNonNull;

/**
 * One invalid field of a request body.
 *
 * @param pointer a JSON pointer to it ({@code /items/3/rating}; {@code ""} for the whole body)
 * @param detail what is wrong
 */
public record FieldError(String pointer, String detail) {

    /** Validates. */
    public FieldError {
        requireNonNull(pointer, "pointer");
        requireNonNull(detail, "detail");
    }
}
