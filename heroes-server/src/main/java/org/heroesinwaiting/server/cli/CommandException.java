package org.heroesinwaiting.server.cli;

import org.heroesinwaiting.core.HeroesException;

/** A command cannot go on: what it needs from the operator is missing or inconsistent. */
public final class CommandException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, and what to do
     */
    public CommandException(String message) {
        super(message);
    }

    /**
     * @param message what failed, and what to do
     * @param cause the underlying failure
     */
    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
