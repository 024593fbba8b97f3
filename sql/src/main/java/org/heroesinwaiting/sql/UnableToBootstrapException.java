package org.heroesinwaiting.sql;

import org.heroesinwaiting.core.HeroesException;

/**
 * The superuser bootstrap or the creation of the logins failed; the message says why (not a
 * superuser, a server older than PostgreSQL 15, a password too short, ...).
 */
public class UnableToBootstrapException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause the underlying failure, or {@code null}
     */
    public UnableToBootstrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
