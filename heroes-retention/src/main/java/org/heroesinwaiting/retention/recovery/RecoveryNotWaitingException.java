package org.heroesinwaiting.retention.recovery;

import org.heroesinwaiting.core.HeroesException;

/** A recovery asked to be approved or executed is no longer a request waiting to run (it runs, or has ended). */
public final class RecoveryNotWaitingException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message which recovery, and what it is now
     * @param cause the database's refusal
     */
    public RecoveryNotWaitingException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message which recovery, and what it is now */
    public RecoveryNotWaitingException(String message) {
        super(message);
    }
}
