package org.heroesinwaiting.persistence.classroom;

import java.util.UUID;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.jdbi.v3.core.Handle;

/** The one check every classroom-scoped service makes first: row level security decides what exists. */
public final class VisibleClassrooms {

    private VisibleClassrooms() {
    }

    /**
     * @param handle a handle in the actor's transaction
     * @param classroomId the classroom
     * @throws ClassroomNotFoundException when the actor may not see it (or it does not exist: the two are one)
     */
    public static void require(Handle handle, UUID classroomId) {
        if (handle.createQuery("SELECT 1 FROM classrooms WHERE id = :id").bind("id", classroomId).mapTo(Integer.class).findOne().isEmpty()) {
            throw new ClassroomNotFoundException(classroomId);
        }
    }
}
