package org.heroesinwaiting.core;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with what a caller gave, and where: a field by its wire name ({@code email},
 * {@code grade_level}), or {@code ""} for the input as a whole. The server turns the field into a
 * JSON pointer ({@code /email}).
 *
 * @param field the field's wire name, or {@code ""}
 * @param message what is wrong, in words a user can act on ({@code must be an email address})
 */
public record InputProblem(String field, String message) {

    /** Validates. */
    public InputProblem {
        requireNonNull(field, "field");
        requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field.isEmpty() ? message : field + " " + message;
    }
}
