package org.heroesinwaiting.core.activity;

/**
 * A classroom's progress on one lesson.
 *
 * @param lessonNumber the lesson
 * @param studentsStarted student sessions with any progress on it
 * @param studentsCompleted student sessions that completed every live item of it (a late "started" never undoes a completion)
 * @param completionRate completed / started, or {@code null} when nobody started
 */
public record LessonProgress(int lessonNumber, int studentsStarted, int studentsCompleted, Double completionRate) {
}
