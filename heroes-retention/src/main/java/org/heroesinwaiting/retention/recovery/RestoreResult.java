package org.heroesinwaiting.retention.recovery;

import java.time.Duration;

/**
 * A full restore into a new database.
 *
 * @param backupId the backup restored
 * @param recoveryId its row in {@code recovery_log}
 * @param database the database made and restored into
 * @param tablesCompared tables whose rows matched those counted at backup time
 * @param restoredBytes the backup's size
 * @param took how long it took
 */
public record RestoreResult(long backupId, long recoveryId, String database, int tablesCompared, long restoredBytes, Duration took) {

    /** @return bytes of backup restored per second */
    public double bytesPerSecond() {
        return took.isZero() ? 0 : restoredBytes / (took.toNanos() / 1e9);
    }
}
