package org.heroesinwaiting.server.runtime;

import org.heroesinwaiting.core.HeroesException;

/** The server, or a command, cannot start: its database cannot be reached or made, or its login is refused. */
public final class StartupException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, and what to do
     */
    public StartupException(String message) {
        super(message);
    }

    /**
     * @param message what failed, and what to do
     * @param cause the underlying failure
     */
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
