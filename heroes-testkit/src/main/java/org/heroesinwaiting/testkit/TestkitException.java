package org.heroesinwaiting.testkit;

import org.heroesinwaiting.core.HeroesException;

/** The testkit could not give a test its database: the message says what to change. */
public class TestkitException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do about it
     */
    public TestkitException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to do about it
     * @param cause the underlying failure
     */
    public TestkitException(String message, Throwable cause) {
        super(message, cause);
    }
}
