package org.heroesinwaiting.core.activity;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One progress event the app queued, possibly offline. Its rules are {@link #problem(Instant)}'s:
 * a batch judges each item on its own, so a broken item is rejected with its reason, not thrown.
 *
 * @param idempotencyKey the client's key for this event (1 to 100 characters): sending it again stores nothing
 * @param lessonNumber the lesson, 1 to 12
 * @param contentId a content item of that lesson
 * @param status started or completed
 * @param timeSpentSeconds time spent, 0 to a day, or {@code null}
 * @param clientTimestamp when it happened on the device; at most {@link #FUTURE_TOLERANCE} ahead
 */
public record ProgressItem(String idempotencyKey, int lessonNumber, UUID contentId, ProgressStatus status, Integer timeSpentSeconds,
        Instant clientTimestamp) {

    /** A device's clock may run ahead; a day more is a wrong clock, not an event. */
    public static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);
    /** The longest time on one item. */
    public static final int MAX_SECONDS = 86_400;

    /**
     * @param now Java's "now", which judges how far ahead the device's clock may be
     * @return why the item cannot be stored, or empty
     */
    public Optional<String> problem(Instant now) {
        String problem = keyProblem(idempotencyKey);
        if (problem == null) {
            problem = lessonProblem(lessonNumber);
        }
        if (problem == null && contentId == null) {
            problem = "content_id is required";
        }
        if (problem == null && status == null) {
            problem = "status must be started or completed";
        }
        if (problem == null && timeSpentSeconds != null && (timeSpentSeconds < 0 || timeSpentSeconds > MAX_SECONDS)) {
            problem = "time_spent_seconds must be 0 to " + MAX_SECONDS;
        }
        if (problem == null) {
            problem = timestampProblem(clientTimestamp, now);
        }
        return Optional.ofNullable(problem);
    }

    static String keyProblem(String key) {
        return key == null || key.isBlank() || key.length() > 100 ? "idempotency_key must have 1 to 100 characters" : null;
    }

    static String lessonProblem(int lessonNumber) {
        return lessonNumber < 1 || lessonNumber > 12 ? "lesson_number must be 1 to 12" : null;
    }

    static String timestampProblem(Instant clientTimestamp, Instant now) {
        if (clientTimestamp == null) {
            return "client_timestamp is required";
        }
        return clientTimestamp.isAfter(now.plus(FUTURE_TOLERANCE)) ? "client_timestamp is more than a day in the future" : null;
    }
}
