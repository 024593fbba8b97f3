package org.heroesinwaiting.core.classroom;

import org.heroesinwaiting.core.HeroesException;

/** A join refused: this code does not accept students now: joining is off, the code expired, or the classroom is archived. */
public final class InactiveJoinCodeException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** Says why. */
    public InactiveJoinCodeException() {
        super("this code does not accept students now: joining is off, the code expired, or the classroom is archived");
    }
}
