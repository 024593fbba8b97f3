package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.heroesinwaiting.retention.backup.BackupBusyException;
import org.heroesinwaiting.retention.backup.BackupRequest;
import org.heroesinwaiting.retention.backup.BackupService;
import org.heroesinwaiting.retention.backup.StartedBackup;
import org.heroesinwaiting.retention.recovery.RestoreService;
import org.heroesinwaiting.retention.recovery.StartedVerification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups and verifications on threads of their own, for a host that answers before the work is
 * done (the server's admin endpoints): each call returns once the work's row is in the catalog.
 * One backup and one verification run at a time, across every instance on the database ({@link
 * BackupBusyException} otherwise). Closing it (the composition root does) stops what runs: a
 * backup cut off so is recorded failed, never left looking like one.
 */
public final class BackupTasks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackupTasks.class);
    private static final long STOP_SECONDS = 30;

    private final BackupService backups;
    private final Optional<RestoreService> restores;
    private final ExecutorService executor;

    /**
     * @param backups makes the backups
     * @param restores verifies them, when the host has a superuser for restore drills
     */
    public BackupTasks(BackupService backups, Optional<RestoreService> restores) {
        this.backups = requireNonNull(backups, "backups");
        this.restores = requireNonNull(restores, "restores");
        // a backup and a verification may run side by side; what comes beyond them is refused as busy first
        this.executor = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "heroes-backup-task");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @param request what to make
     * @return the backup's id, and its result to come
     * @throws BackupBusyException when another backup is running
     * @see BackupService#start
     */
    public StartedBackup backup(BackupRequest request) {
        return backups.start(request, executor);
    }

    /** @return whether backups can be verified here (restore drills need the cluster's superuser) */
    public boolean canVerify() {
        return restores.isPresent();
    }

    /**
     * @param backupId a backup that succeeded
     * @return the drill's row, and what it finds to come
     * @throws BackupBusyException when another verification is running
     * @throws IllegalStateException when backups cannot be verified here ({@link #canVerify()})
     * @see RestoreService#startVerification
     */
    public StartedVerification verify(long backupId) {
        return restores.orElseThrow(() -> new IllegalStateException("verifying a backup needs the cluster's superuser: give BackupSettings one"))
                .startVerification(backupId, executor);
    }

    /** Stops what runs (a backup is recorded failed, a drill's scratch database dropped), waiting up to 30 seconds. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("a backup task was still running {} s after it was told to stop", STOP_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
