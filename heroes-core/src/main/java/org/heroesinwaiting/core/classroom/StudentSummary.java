package org.heroesinwaiting.core.classroom;

import java.time.Instant;
import java.util.UUID;

/**
 * A student session as the classroom's facilitator sees it: nothing that identifies a child.
 *
 * @param id the session
 * @param ageRange its age range
 * @param gradeLevel its grade
 * @param joinedAt when it joined
 * @param lastSeenAt its latest request (to the minute)
 * @param expiresAt when it ends by itself
 * @param status {@code active}, {@code ended} or {@code expired}
 */
public record StudentSummary(UUID id, String ageRange, int gradeLevel, Instant joinedAt, Instant lastSeenAt, Instant expiresAt,
        String status) {
}
