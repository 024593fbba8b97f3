package org.heroesinwaiting.core.auth;

import org.heroesinwaiting.core.HeroesException;

/**
 * A login failed. The same exception, with the same message, for an unknown email, a wrong
 * password and a disabled account: a client must not learn which.
 */
public class InvalidCredentialsException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** The one message every failed login gets. */
    public InvalidCredentialsException() {
        super("the email or password is wrong");
    }
}
