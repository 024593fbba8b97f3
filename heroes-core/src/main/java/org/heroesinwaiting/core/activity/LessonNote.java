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

    /** The longest note. */
    public static final int MAX_LENGTH = 8000;

    /**
     * The rule of a note's text, for every place that takes one.
     *
     * @param notes as given
     * @return stripped
     * @throws org.heroesinwaiting.core.InvalidInputException when it is missing, blank or longer than {@value #MAX_LENGTH}
     */
    public static String validNotes(String notes) {
        org.heroesinwaiting.core.InputChecks checks = new org.heroesinwaiting.core.InputChecks();
        if (checks.require("notes", notes)) {
            checks.check(!notes.isBlank() && notes.strip().length() <= MAX_LENGTH, "notes", "must have 1 to " + MAX_LENGTH + " characters");
        }
        checks.throwIfAny();
        return notes.strip();
    }
}
