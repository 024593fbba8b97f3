package org.heroesinwaiting.retention.backup;

import java.time.Duration;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.RetryLater;

/**
 * A backup or a verification asked to run alone while another is running: nothing was started.
 * Try again when {@link #runningId()} has finished: a minute is the {@link #retryAfter()} hint.
 */
public final class BackupBusyException extends HeroesException implements RetryLater {

    private static final long serialVersionUID = 1L;

    private final long runningId;

    /**
     * @param message which is running
     * @param runningId the running backup's id ({@code backup_log}), or recovery's ({@code recovery_log}) for a verification
     * @param cause the database's refusal
     */
    public BackupBusyException(String message, long runningId, Throwable cause) {
        super(message, cause);
        this.runningId = runningId;
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofMinutes(1);
    }

    /** @return the id of the one running */
    public long runningId() {
        return runningId;
    }
}
