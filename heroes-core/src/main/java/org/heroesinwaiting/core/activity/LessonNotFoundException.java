package org.heroesinwaiting.core.activity;

import org.heroesinwaiting.core.HeroesException;

/** No such lesson: lessons are numbered 1 to 12, and exist once a curriculum is imported. */
public final class LessonNotFoundException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** @param number the lesson asked for */
    public LessonNotFoundException(int number) {
        super("no lesson " + number + "; lessons are numbered 1 to 12");
    }
}
