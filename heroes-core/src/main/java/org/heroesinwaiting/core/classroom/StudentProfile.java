package org.heroesinwaiting.core.classroom;

import java.time.Instant;

/**
 * What a student sees of their own session ({@code GET /api/v1/student/me}).
 *
 * @param classroomName the classroom's name
 * @param classroomGradeLevel its grade
 * @param expiresAt when the token stops working
 */
public record StudentProfile(String classroomName, int classroomGradeLevel, Instant expiresAt) {
}
