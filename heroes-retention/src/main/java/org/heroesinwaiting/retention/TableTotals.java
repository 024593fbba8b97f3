package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

/**
 * Rows a table has had archived and purged by every recorded run: what {@code /metrics} exports.
 *
 * @param table the table
 * @param archived rows archived
 * @param purged rows purged
 */
public record TableTotals(String table, long archived, long purged) {

    /** Validates. */
    public TableTotals {
        requireNonNull(table, "table");
    }
}
