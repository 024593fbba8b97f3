package org.heroesinwaiting.retention.physical;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.heroesinwaiting.retention.backup.BackupKind;

/**
 * A physical backup that is whole and recorded in {@code backup_log}.
 *
 * @param id its row in {@code backup_log}
 * @param kind {@code physical-full} or {@code daily}
 * @param backup what pgBackRest's info says of it (label, type, prior, WAL and LSN ranges, sizes)
 * @param took how long it took, recording included
 */
public record PhysicalBackupResult(long id, BackupKind kind, PhysicalBackup backup, Duration took) {

    public PhysicalBackupResult {
        requireNonNull(kind, "kind");
        requireNonNull(backup, "backup");
        requireNonNull(took, "took");
    }
}
