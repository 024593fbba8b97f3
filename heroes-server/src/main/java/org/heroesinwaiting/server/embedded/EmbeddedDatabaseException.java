package org.heroesinwaiting.server.embedded;

import org.heroesinwaiting.core.HeroesException;

/** The embedded PostgreSQL cannot be started, or its database made. */
public final class EmbeddedDatabaseException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, and what to do
     */
    public EmbeddedDatabaseException(String message) {
        super(message);
    }

    /**
     * @param message what failed, and what to do
     * @param cause the underlying failure
     */
    public EmbeddedDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
