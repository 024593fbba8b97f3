package org.heroesinwaiting.retention.recovery;

import java.time.Duration;
import java.util.Map;

/**
 * A table restore into the live database, done in one transaction.
 *
 * @param backupId the backup the rows came from
 * @param recoveryId its row in {@code recovery_log}
 * @param mode replace or add-missing
 * @param inserted rows added, per table
 * @param updated rows set back to the backup's values, per table (replace only)
 * @param deleted rows the backup did not have, deleted, per table (replace only)
 * @param took how long it took
 */
public record TableRestoreResult(long backupId, long recoveryId, TableRestoreMode mode, Map<String, Long> inserted,
        Map<String, Long> updated, Map<String, Long> deleted, Duration took) {

    public TableRestoreResult {
        inserted = Map.copyOf(inserted);
        updated = Map.copyOf(updated);
        deleted = Map.copyOf(deleted);
    }
}
