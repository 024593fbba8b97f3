package org.heroesinwaiting.core.activity;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One piece of anonymous feedback the app queued: a rating, a mood and the lesson's questions
 * answered with their allowed options. There is no field a child could type words into.
 *
 * @param idempotencyKey the client's key (1 to 100 characters): sending it again stores nothing
 * @param lessonNumber the lesson
 * @param classroomSessionId the lesson session it is about, or {@code null}
 * @param rating 1 to 5
 * @param mood {@code happy}, {@code calm}, {@code unsure}, {@code sad} or {@code upset}
 * @param answers question id to option, each one of the lesson's questions and its options
 * @param clientTimestamp when it was given on the device
 */
public record FeedbackItem(String idempotencyKey, int lessonNumber, UUID classroomSessionId, int rating, String mood,
        Map<String, String> answers, Instant clientTimestamp) {

    /** The moods a student may choose. */
    public static final java.util.List<String> MOODS = java.util.List.of("happy", "calm", "unsure", "sad", "upset");

    /** Copies. */
    public FeedbackItem {
        answers = answers == null ? null : Map.copyOf(answers);
    }

    /**
     * Its own rules; whether the lesson has these questions and options is the storage's to judge.
     *
     * @param now Java's "now", which judges how far ahead the device's clock may be
     * @return why the item cannot be stored, or empty
     */
    public java.util.Optional<String> problem(Instant now) {
        String problem = ProgressItem.keyProblem(idempotencyKey);
        if (problem == null) {
            problem = ProgressItem.lessonProblem(lessonNumber);
        }
        if (problem == null && (rating < 1 || rating > 5)) {
            problem = "rating must be 1 to 5";
        }
        if (problem == null && (mood == null || !MOODS.contains(mood))) {
            problem = "mood must be one of " + String.join(", ", MOODS);
        }
        if (problem == null && answers == null) {
            problem = "answers is required (an object, possibly empty)";
        }
        if (problem == null) {
            problem = ProgressItem.timestampProblem(clientTimestamp, now);
        }
        return java.util.Optional.ofNullable(problem);
    }
}
