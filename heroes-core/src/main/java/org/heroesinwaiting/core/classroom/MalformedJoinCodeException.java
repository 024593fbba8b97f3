package org.heroesinwaiting.core.classroom;

import org.heroesinwaiting.core.HeroesException;

/** A join refused: a join code is 8 characters of ABCDEFGHJKMNPQRSTUVWXYZ23456789 (spaces and dashes are ignored). */
public final class MalformedJoinCodeException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** Says why. */
    public MalformedJoinCodeException() {
        super("a join code is 8 characters of ABCDEFGHJKMNPQRSTUVWXYZ23456789 (spaces and dashes are ignored)");
    }
}
