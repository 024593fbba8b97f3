package org.heroesinwaiting.retention.physical;

import org.heroesinwaiting.core.HeroesException;

/** A pgBackRest command failed; the message holds the command, its exit status and its error lines. */
public final class PhysicalBackupException extends HeroesException {

    private static final long serialVersionUID = 1L;

    private final int exitStatus;

    /**
     * @param message what failed, with pgBackRest's own error lines
     * @param exitStatus pgBackRest's exit status (its error code), or -1 when it did not run
     * @param cause the underlying failure, if any
     */
    public PhysicalBackupException(String message, int exitStatus, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    /** @return pgBackRest's exit status (its error code: 82 is a WAL segment not archived in time), or -1 */
    public int exitStatus() {
        return exitStatus;
    }
}
