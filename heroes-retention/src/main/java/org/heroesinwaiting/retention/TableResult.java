package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What a retention run did to one table.
 *
 * @param table the table ({@code student_progress})
 * @param archived rows moved to its archive (for a dry run: rows that would move)
 * @param purged rows deleted: from its archive past the total period, or from the table for a plain purge
 * @param stillEligible rows still due after the run (a run that failed, or a dry run's bound)
 * @param batches committed batches
 * @param state {@code done}, {@code failed}, {@code skipped} (after a failure), or {@code dry-run}
 * @param took how long its batches took
 * @param upkeep what followed a run that changed a large share of the table
 */
public record TableResult(String table, long archived, long purged, long stillEligible, int batches, String state, Duration took,
        Upkeep upkeep) {

    /** Validates. */
    public TableResult {
        requireNonNull(table, "table");
        requireNonNull(state, "state");
        requireNonNull(took, "took");
        requireNonNull(upkeep, "upkeep");
    }

    /** @return rows archived and purged */
    public long changed() {
        return archived + purged;
    }

    TableResult withUpkeep(Upkeep value) {
        return new TableResult(table, archived, purged, stillEligible, batches, state, took, value);
    }
}
