package org.heroesinwaiting.persistence.analytics;

import java.util.Arrays;
import java.util.Optional;

/**
 * The analytics views ({@code V025__analytics.sql}), each with the suppression built in: what the
 * admin endpoints and a BI tool connected as {@code heroes_analytics} read.
 */
public enum AnalyticsView {
    /** Lessons begun and completed per month, lesson, grade and age range. */
    LESSON_COMPLETION("lesson-completion", "analytics_lesson_completion", "month", true, true),
    /** The same per school term. */
    LESSON_COMPLETION_BY_TERM("lesson-completion-by-term", "analytics_lesson_completion_by_term", "term_start", true, true),
    /** Feedback per month and lesson: the sessions per option of the rating, the mood and each question. */
    LESSON_FEEDBACK("lesson-feedback", "analytics_lesson_feedback", "month", true, false),
    /** Joins per month, grade and age range. */
    JOIN_DEMOGRAPHICS("join-demographics", "analytics_join_demographics", "month", false, true),
    /** Lessons taught, active classrooms and sessions, and the median lesson length per week. */
    ENGAGEMENT("engagement", "analytics_engagement", "week", false, false);

    private final String wireName;
    private final String relation;
    private final String period;
    private final boolean perLesson;
    private final boolean perGroup;

    AnalyticsView(String wireName, String relation, String period, boolean perLesson, boolean perGroup) {
        this.wireName = wireName;
        this.relation = relation;
        this.period = period;
        this.perLesson = perLesson;
        this.perGroup = perGroup;
    }

    /** @return its name in a URL ({@code lesson-completion}) */
    public String wireName() {
        return wireName;
    }

    /** @return the view in the database ({@code analytics_lesson_completion}) */
    public String relation() {
        return relation;
    }

    /** @return the column holding the first day of a row's period ({@code month}, {@code term_start}, {@code week}) */
    public String period() {
        return period;
    }

    /** @return whether its rows are per lesson (a lesson filter applies) */
    public boolean perLesson() {
        return perLesson;
    }

    /** @return whether its rows are per grade and age range (those filters apply) */
    public boolean perGroup() {
        return perGroup;
    }

    /**
     * @param wireName a name in a URL
     * @return the view, if there is one by that name
     */
    public static Optional<AnalyticsView> fromWire(String wireName) {
        return Arrays.stream(values()).filter(view -> view.wireName.equals(wireName)).findFirst();
    }
}
