package org.heroesinwaiting.core.activity;

import java.time.Instant;
import java.util.UUID;

/**
 * A lesson taught in a classroom: open from its start until it is ended.
 *
 * @param id the session
 * @param classroomId its classroom
 * @param lessonNumber the lesson, 1 to 12
 * @param startedAt when it started
 * @param endedAt when it ended, or {@code null} while it is open
 */
public record ClassroomSession(UUID id, UUID classroomId, int lessonNumber, Instant startedAt, Instant endedAt) {

    /** @return whether it is still open */
    public boolean isOpen() {
        return endedAt == null;
    }
}
