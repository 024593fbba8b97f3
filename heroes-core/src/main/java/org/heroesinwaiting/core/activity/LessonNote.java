package org.heroesinwaiting.core.activity;

import java.time.Instant;
import java.util.UUID;

/**
 * A facilitator's own note on a lesson, visible to them (and admins) only.
 *
 * @param id the note
 * @param lessonNumber its lesson
 * @param classroomId the classroom it is about, or {@code null}
 * @param notes the text (1 to 8,000 characters)
 * @param createdAt when it was written
 */
public record LessonNote(UUID id, int lessonNumber, UUID classroomId, String notes, Instant createdAt) {
}
