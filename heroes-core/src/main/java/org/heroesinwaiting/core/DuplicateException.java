package org.heroesinwaiting.core;

/**
 * What was asked would duplicate something that exists (a unique key, SQLSTATE 23505). A service
 * that knows what the key means throws its own, more precise exception instead
 * ({@code EmailTakenException}).
 */
public final class DuplicateException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param cause the database's refusal
     */
    public DuplicateException(Throwable cause) {
        super("this would duplicate something that exists", cause);
    }
}
