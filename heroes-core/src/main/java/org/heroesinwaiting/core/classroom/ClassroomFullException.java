package org.heroesinwaiting.core.classroom;

import org.heroesinwaiting.core.HeroesException;

/** A join refused: every seat of the classroom is taken by a live session; seats free up as sessions end or expire. */
public final class ClassroomFullException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** Says why. */
    public ClassroomFullException() {
        super("every seat of the classroom is taken by a live session; seats free up as sessions end or expire");
    }
}
