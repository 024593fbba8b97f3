package org.heroesinwaiting.retention.backup;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A restore or restore drill of a backup, as {@code recovery_log} holds it.
 *
 * @param id its row in {@code recovery_log}
 * @param kind {@code drill} (a verification), {@code full} or {@code tables}
 * @param targetDatabase the database it restored into (a drill's scratch database, dropped after)
 * @param status {@code running}, {@code succeeded} or {@code failed}
 * @param startedAt when it began
 * @param finishedAt when it ended
 * @param error why it failed, when it did
 */
public record BackupRecovery(long id, String kind, String targetDatabase, String status, Instant startedAt, Optional<Instant> finishedAt,
        Optional<String> error) {

    public BackupRecovery {
        requireNonNull(kind, "kind");
        requireNonNull(targetDatabase, "targetDatabase");
        requireNonNull(status, "status");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(finishedAt, "finishedAt");
        requireNonNull(error, "error");
    }
}
