package org.heroesinwaiting.core.activity;

import java.time.Instant;
import java.util.UUID;

/**
 * One progress event the app queued, possibly offline.
 *
 * @param idempotencyKey the client's key for this event (1 to 100 characters): sending it again stores nothing
 * @param lessonNumber the lesson
 * @param contentId a content item of that lesson
 * @param status {@code started} or {@code completed}
 * @param timeSpentSeconds time spent, or {@code null}
 * @param clientTimestamp when it happened on the device
 */
public record ProgressItem(String idempotencyKey, int lessonNumber, UUID contentId, String status, Integer timeSpentSeconds,
        Instant clientTimestamp) {
}
