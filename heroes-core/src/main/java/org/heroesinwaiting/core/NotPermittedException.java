package org.heroesinwaiting.core;

/**
 * The database's own word that this actor may not do this: row level security or a missing grant
 * (SQLSTATE 42501).
 */
public final class NotPermittedException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param cause the database's refusal
     */
    public NotPermittedException(Throwable cause) {
        super("you may not do this", cause);
    }
}
