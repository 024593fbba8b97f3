package org.heroesinwaiting.core.classroom;

import java.util.UUID;
import org.heroesinwaiting.core.HeroesException;

/** No such classroom, or one the actor may not see: the two are never told apart. */
public final class ClassroomNotFoundException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** @param id the classroom asked for */
    public ClassroomNotFoundException(UUID id) {
        super("no classroom " + id);
    }
}
