package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

/**
 * A verification that has its drill's row in {@code recovery_log} and runs on another thread.
 *
 * @param backupId the backup it verifies
 * @param recoveryId its drill's row, {@code running} until it is done
 * @param result completes with what it found, or exceptionally as {@link RestoreService#verify} would throw
 */
public record StartedVerification(long backupId, long recoveryId, CompletableFuture<Verification> result) {

    public StartedVerification {
        requireNonNull(result, "result");
    }
}
