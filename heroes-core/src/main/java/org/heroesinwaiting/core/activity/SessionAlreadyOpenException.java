package org.heroesinwaiting.core.activity;

import java.util.UUID;
import org.heroesinwaiting.core.HeroesException;

/** A classroom teaches one lesson at a time: end the open session first. */
public final class SessionAlreadyOpenException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** @param classroomId the classroom */
    public SessionAlreadyOpenException(UUID classroomId) {
        super("classroom " + classroomId + " already has an open lesson session; end it first");
    }
}
