package org.heroesinwaiting.core.activity;

import java.util.Map;

/**
 * How answers to one thing (a question, the rating, the mood) spread. Under
 * {@link #MINIMUM_STUDENTS} distinct students the counts show but the per-answer breakdown does
 * not, so that no child's answer can be guessed.
 *
 * @param students distinct student sessions that answered
 * @param responses answers given
 * @param counts answer to count, or {@code null} when fewer than {@link #MINIMUM_STUDENTS} students answered
 */
public record Breakdown(int students, int responses, Map<String, Integer> counts) {

    /** The fewest students whose answers may be broken down. */
    public static final int MINIMUM_STUDENTS = 5;

    /** Copies. */
    public Breakdown {
        counts = counts == null ? null : Map.copyOf(counts);
    }
}
