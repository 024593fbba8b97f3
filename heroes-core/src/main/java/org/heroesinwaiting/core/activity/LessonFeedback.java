package org.heroesinwaiting.core.activity;

import java.util.Map;

/**
 * A classroom's anonymous feedback on one lesson.
 *
 * @param lessonNumber the lesson
 * @param rating how the ratings 1 to 5 spread
 * @param mood how the moods spread
 * @param questions each question's answers, by question id
 */
public record LessonFeedback(int lessonNumber, Breakdown rating, Breakdown mood, Map<String, Breakdown> questions) {

    /** Copies. */
    public LessonFeedback {
        questions = Map.copyOf(questions);
    }
}
