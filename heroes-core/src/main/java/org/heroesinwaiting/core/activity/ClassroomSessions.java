package org.heroesinwaiting.core.activity;

import java.util.List;
import java.util.UUID;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;

/**
 * Lessons taught in a facilitator's classrooms, and the facilitator's own notes on lessons. Each
 * method acts as {@code who}: another facilitator's classroom is as absent as one that never existed.
 *
 * <pre>{@code
 * ClassroomSession open = sessions.start(who, classroomId, 3);
 * sessions.end(who, classroomId, open.id());
 * }</pre>
 */
public interface ClassroomSessions {

    /**
     * @param who the facilitator
     * @param classroomId the classroom
     * @param lessonNumber 1 to 12
     * @return the new open session
     * @throws ClassroomNotFoundException when {@code who} may not see the classroom
     * @throws LessonNotFoundException when the curriculum has no such lesson
     * @throws SessionAlreadyOpenException when the classroom has an open session (one at a time, even under concurrency)
     * @throws ClassroomArchivedException when the classroom is archived
     */
    ClassroomSession start(AuthenticatedFacilitator who, UUID classroomId, int lessonNumber);

    /**
     * Ends a session; ending one already ended changes nothing.
     *
     * @param who the facilitator
     * @param classroomId the classroom
     * @param sessionId the session
     * @return the session as it is now
     * @throws ClassroomNotFoundException when {@code who} may not see the classroom or it has no such session
     */
    ClassroomSession end(AuthenticatedFacilitator who, UUID classroomId, UUID sessionId);

    /**
     * @param who the facilitator
     * @param classroomId the classroom
     * @param sessionId the session
     * @return it, when {@code who} may see it
     */
    java.util.Optional<ClassroomSession> find(AuthenticatedFacilitator who, UUID classroomId, UUID sessionId);

    /**
     * @param who the facilitator
     * @param classroomId the classroom
     * @param limit at most this many
     * @param cursor where the previous page ended, or {@code null}
     * @return its sessions, newest first
     * @throws ClassroomNotFoundException when {@code who} may not see the classroom
     */
    Page<ClassroomSession> list(AuthenticatedFacilitator who, UUID classroomId, int limit, String cursor);

    /**
     * @param who the facilitator
     * @param lessonNumber the lesson
     * @param classroomId the classroom it is about, or {@code null}
     * @param notes 1 to 8,000 characters
     * @return the note
     * @throws LessonNotFoundException when the curriculum has no such lesson
     * @throws ClassroomNotFoundException when a classroom is named that {@code who} may not see
     */
    LessonNote addNote(AuthenticatedFacilitator who, int lessonNumber, UUID classroomId, String notes);

    /**
     * @param who the facilitator
     * @param lessonNumber the lesson
     * @return their notes on it, newest first
     * @throws LessonNotFoundException when the curriculum has no such lesson
     */
    List<LessonNote> notes(AuthenticatedFacilitator who, int lessonNumber);
}
