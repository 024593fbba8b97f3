package org.heroesinwaiting.retention;

import org.heroesinwaiting.core.HeroesException;

/** The table named has its policy disabled ({@code data_retention_policies.enabled}). */
public final class RetentionDisabledException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the database's message
     * @param cause the refusal
     */
    public RetentionDisabledException(String message, Throwable cause) {
        super(message, cause);
    }
}
