package org.heroesinwaiting.core.auth;

import org.heroesinwaiting.core.HeroesException;

/**
 * A token was refused. The message says why, for the log; a client hears only "unauthorized".
 */
public class InvalidTokenException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param reason why it was refused
     */
    public InvalidTokenException(String reason) {
        super(reason);
    }

    /**
     * @param reason why it was refused
     * @param cause what failed
     */
    public InvalidTokenException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
