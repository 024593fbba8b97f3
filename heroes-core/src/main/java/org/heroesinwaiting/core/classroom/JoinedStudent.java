package org.heroesinwaiting.core.classroom;

import java.time.Instant;
import java.util.UUID;

/**
 * A student who just joined.
 *
 * @param sessionId the new student session
 * @param token the opaque token for later requests (256 random bits; only its SHA-256 is stored)
 * @param expiresAt when it stops working
 * @param classroomName the classroom's name
 * @param classroomGradeLevel the classroom's grade
 */
public record JoinedStudent(UUID sessionId, String token, Instant expiresAt, String classroomName, int classroomGradeLevel) {

    @Override
    public String toString() {
        return "JoinedStudent[sessionId=" + sessionId + ", token=(secret), expiresAt=" + expiresAt + "]";
    }
}
