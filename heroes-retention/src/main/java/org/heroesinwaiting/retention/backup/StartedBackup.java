package org.heroesinwaiting.retention.backup;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

/**
 * A backup that has its row in {@code backup_log} and runs on another thread.
 *
 * @param id its row, {@code running} until it is done
 * @param result completes with the backup, or exceptionally as {@link BackupService#run} would throw
 */
public record StartedBackup(long id, CompletableFuture<BackupResult> result) {

    public StartedBackup {
        requireNonNull(result, "result");
    }
}
