package org.heroesinwaiting.core.classroom;

import org.heroesinwaiting.core.HeroesException;

/** A join refused: no classroom has this code. */
public final class UnknownJoinCodeException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** Says why. */
    public UnknownJoinCodeException() {
        super("no classroom has this code");
    }
}
