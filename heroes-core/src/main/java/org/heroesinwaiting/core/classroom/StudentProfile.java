package org.heroesinwaiting.core.classroom;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a student sees of their own session ({@code GET /api/v1/student/me}).
 *
 * @param classroomName the classroom's name
 * @param classroomGradeLevel its grade
 * @param expiresAt when the token stops working
 * @param openLesson the lesson open in the classroom now and the student's progress in it, or {@code null}
 */
public record StudentProfile(String classroomName, int classroomGradeLevel, Instant expiresAt, OpenLesson openLesson) {

    /**
     * @param sessionId the classroom session
     * @param lessonNumber its lesson
     * @param startedAt when it started
     * @param progress the student's items of that lesson with progress ({@code started} or {@code completed}: a completion is never undone)
     */
    public record OpenLesson(UUID sessionId, int lessonNumber, Instant startedAt, List<ItemProgress> progress) {

        /** Copies. */
        public OpenLesson {
            progress = List.copyOf(progress);
        }
    }

    /**
     * @param contentId a content item
     * @param status {@code started} or {@code completed}
     */
    public record ItemProgress(UUID contentId, String status) {
    }
}
