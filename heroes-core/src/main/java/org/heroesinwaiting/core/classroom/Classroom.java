package org.heroesinwaiting.core.classroom;

import java.time.Instant;
import java.util.UUID;

/**
 * A classroom as its facilitator sees it.
 *
 * @param id the classroom
 * @param name its name
 * @param gradeLevel 4 to 6
 * @param maxStudents seats, 1 to 30
 * @param classroomCode the 8 canonical characters of its join code
 * @param joinEnabled whether students may join
 * @param codeExpiresAt when the code stops working, or {@code null}
 * @param archivedAt when it was archived, or {@code null}
 * @param studentCount its live student sessions
 * @param createdAt when it was created
 */
public record Classroom(UUID id, String name, int gradeLevel, int maxStudents, String classroomCode, boolean joinEnabled,
        Instant codeExpiresAt, Instant archivedAt, int studentCount, Instant createdAt) {
}
