package org.heroesinwaiting.core.activity;

import java.util.UUID;
import org.heroesinwaiting.core.HeroesException;

/** An archived classroom keeps its record but teaches no new lesson. */
public final class ClassroomArchivedException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** @param classroomId the classroom */
    public ClassroomArchivedException(UUID classroomId) {
        super("classroom " + classroomId + " is archived: it starts no new lesson");
    }
}
