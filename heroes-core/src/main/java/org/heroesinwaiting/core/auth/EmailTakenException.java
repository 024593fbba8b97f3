package org.heroesinwaiting.core.auth;

import org.heroesinwaiting.core.HeroesException;

/** An account with this email exists. */
public class EmailTakenException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** The message says nothing about the account. */
    public EmailTakenException() {
        super("an account with this email exists");
    }
}
