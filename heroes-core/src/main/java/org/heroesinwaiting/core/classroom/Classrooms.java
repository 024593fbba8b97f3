package org.heroesinwaiting.core.classroom;

import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;

/**
 * A facilitator's classrooms. Each method acts as {@code who}: a facilitator reaches only their
 * own classrooms (another's is as absent as one that never existed), an admin every classroom.
 *
 * <pre>{@code
 * Classroom room = classrooms.create(who, new NewClassroom("Room 12", 5, 30));
 * JoinCode code = new JoinCode(room.classroomCode()); // show code.display() to the class
 * }</pre>
 */
public interface Classrooms {

    /**
     * @param who the facilitator
     * @param classroom what to create
     * @return it, with a new unique join code
     */
    Classroom create(AuthenticatedFacilitator who, NewClassroom classroom);

    /**
     * @param who the facilitator (an admin lists every classroom)
     * @param limit at most this many (1 to {@link Page#MAXIMUM_LIMIT})
     * @param cursor where the previous page ended, or {@code null}
     * @return newest first, archived ones included
     * @throws IllegalArgumentException for a cursor this library did not make
     */
    Page<Classroom> list(AuthenticatedFacilitator who, int limit, String cursor);

    /**
     * @param who the facilitator
     * @param id the classroom
     * @return it, when {@code who} may see it
     */
    Optional<Classroom> find(AuthenticatedFacilitator who, UUID id);

    /**
     * @param who the facilitator
     * @param id the classroom
     * @param changes what to change
     * @return it as changed
     * @throws ClassroomNotFoundException when {@code who} may not see it
     */
    Classroom update(AuthenticatedFacilitator who, UUID id, ClassroomChanges changes);

    /**
     * Archives: the classroom stops accepting joins at once; its data stays for retention.
     *
     * @param who the facilitator
     * @param id the classroom
     * @throws ClassroomNotFoundException when {@code who} may not see it
     */
    void archive(AuthenticatedFacilitator who, UUID id);

    /**
     * @param who the facilitator
     * @param id the classroom
     * @return it, with a new unique code (the old one stops working at once)
     * @throws ClassroomNotFoundException when {@code who} may not see it
     */
    Classroom regenerateCode(AuthenticatedFacilitator who, UUID id);

    /**
     * @param who the facilitator
     * @param id the classroom
     * @param limit at most this many (1 to {@link Page#MAXIMUM_LIMIT})
     * @param cursor where the previous page ended, or {@code null}
     * @return its student sessions, live and ended, newest first
     * @throws ClassroomNotFoundException when {@code who} may not see it
     * @throws IllegalArgumentException for a cursor this library did not make
     */
    Page<StudentSummary> students(AuthenticatedFacilitator who, UUID id, int limit, String cursor);

    /**
     * Ends a student session at once: its token stops working and its seat is free.
     *
     * @param who the facilitator
     * @param classroomId the classroom
     * @param studentSessionId the session
     * @return whether a live session of that classroom was ended
     * @throws ClassroomNotFoundException when {@code who} may not see the classroom
     */
    boolean endStudentSession(AuthenticatedFacilitator who, UUID classroomId, UUID studentSessionId);
}
