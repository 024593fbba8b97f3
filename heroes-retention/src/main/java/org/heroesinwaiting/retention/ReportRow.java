package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/**
 * One table on one UTC day of {@code generate_retention_report(from, to)}.
 *
 * @param day the day runs started
 * @param table the table
 * @param archived rows archived that day
 * @param purged rows purged that day
 * @param runs runs that took the table
 * @param failedRuns of those, runs that failed or were cut off
 */
public record ReportRow(LocalDate day, String table, long archived, long purged, long runs, long failedRuns) {

    /** Validates. */
    public ReportRow {
        requireNonNull(day, "day");
        requireNonNull(table, "table");
    }
}
