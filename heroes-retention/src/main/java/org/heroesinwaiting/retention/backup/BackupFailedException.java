package org.heroesinwaiting.retention.backup;

import org.heroesinwaiting.core.HeroesException;

/** A backup did not complete; {@code backup_log} records it as failed, and no file of it is left that looks like a backup. */
public final class BackupFailedException extends HeroesException {

    private static final long serialVersionUID = 1L;

    private final long backupId;

    /**
     * @param backupId its row in {@code backup_log}
     * @param message what failed
     * @param cause the underlying failure, if any
     */
    public BackupFailedException(long backupId, String message, Throwable cause) {
        super("backup " + backupId + " failed: " + message, cause);
        this.backupId = backupId;
    }

    /** @return its row in {@code backup_log} */
    public long backupId() {
        return backupId;
    }
}
