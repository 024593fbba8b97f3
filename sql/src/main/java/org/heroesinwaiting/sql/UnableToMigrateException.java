package org.heroesinwaiting.sql;

import org.heroesinwaiting.core.HeroesException;

/**
 * Migrating the schema failed or was refused (wrong login, bootstrap missing, a migration that
 * failed and was rolled back, an applied migration that no longer matches its file).
 */
public class UnableToMigrateException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause the underlying failure, or {@code null}
     */
    public UnableToMigrateException(String message, Throwable cause) {
        super(message, cause);
    }
}
