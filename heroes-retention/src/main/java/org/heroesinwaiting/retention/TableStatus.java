package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One governed table now ({@code get_retention_status()}).
 *
 * @param table the table
 * @param enabled whether its policy runs
 * @param livePeriod how long rows stay live, as PostgreSQL writes it ({@code 2 years})
 * @param totalPeriod how long they are kept in all
 * @param archiveTable its archive, or empty for a plain purge
 * @param liveRows rows in the table
 * @param eligibleNow live rows due to move now
 * @param archivedRows rows in its archive (empty without one)
 * @param dueForDeletion rows due to be deleted now
 * @param oldestLive the oldest live row's time
 * @param oldestArchived the oldest archived row's time
 * @param lastRunAt when the last run that took the table started
 * @param lastOutcome that run's outcome: {@code succeeded}, {@code failed}, {@code interrupted}, {@code running}
 */
public record TableStatus(String table, boolean enabled, String livePeriod, String totalPeriod, Optional<String> archiveTable,
        long liveRows, long eligibleNow, Optional<Long> archivedRows, long dueForDeletion, Optional<Instant> oldestLive,
        Optional<Instant> oldestArchived, Optional<Instant> lastRunAt, Optional<String> lastOutcome) {

    /** Validates. */
    public TableStatus {
        requireNonNull(table, "table");
        requireNonNull(livePeriod, "livePeriod");
        requireNonNull(totalPeriod, "totalPeriod");
        requireNonNull(archiveTable, "archiveTable");
        requireNonNull(archivedRows, "archivedRows");
        requireNonNull(oldestLive, "oldestLive");
        requireNonNull(oldestArchived, "oldestArchived");
        requireNonNull(lastRunAt, "lastRunAt");
        requireNonNull(lastOutcome, "lastOutcome");
    }
}
