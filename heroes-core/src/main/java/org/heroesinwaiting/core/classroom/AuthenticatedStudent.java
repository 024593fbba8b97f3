package org.heroesinwaiting.core.classroom;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A request's student, from a verified token.
 *
 * @param sessionId the student session (the actor of its transactions)
 * @param classroomId its classroom
 * @param expiresAt when the token stops working
 */
public record AuthenticatedStudent(UUID sessionId, UUID classroomId, Instant expiresAt) {

    /** Validates. */
    public AuthenticatedStudent {
        requireNonNull(sessionId, "sessionId");
        requireNonNull(classroomId, "classroomId");
        requireNonNull(expiresAt, "expiresAt");
    }
}
