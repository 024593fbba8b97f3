package org.heroesinwaiting.core;

/**
 * A value is outside what is accepted: the database refused it (a CHECK, a NOT NULL or a type it
 * did not meet, SQLSTATE 23514, 23502, class 22), or an operation found it does not name what it
 * must (a backup that does not exist, a database that already does). Validation in core comes
 * first; this keeps a value it let through from becoming a server error.
 */
public final class InvalidValueException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param cause the database's refusal
     */
    public InvalidValueException(Throwable cause) {
        super("a value is outside what is accepted", cause);
    }

    /**
     * @param message which value, and what is accepted
     */
    public InvalidValueException(String message) {
        super(message);
    }

    /**
     * @param message which value, and what is accepted (the database's own words, when it said why)
     * @param cause the refusal
     */
    public InvalidValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
