package org.heroesinwaiting.retention.recovery;

import org.heroesinwaiting.core.HeroesException;

/** A restore did not complete; {@code recovery_log} records it with what went wrong. */
public final class RestoreFailedException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause the underlying failure, if any
     */
    public RestoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
