package org.heroesinwaiting.persistence.analytics;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Which rows of an analytics view to read; each part left empty reads all.
 *
 * @param lesson a lesson's number (1 to 12)
 * @param grade a grade (4 to 6)
 * @param ageRange an age range ({@code 8-9}, {@code 10-11}, {@code 12-13})
 * @param from the first day of the first period (a row's month, term or week starting on or after it)
 * @param to the last day a row's period may start on
 */
public record AnalyticsFilter(Optional<Integer> lesson, Optional<Integer> grade, Optional<String> ageRange, Optional<LocalDate> from,
        Optional<LocalDate> to) {

    /** Every row. */
    public static final AnalyticsFilter ALL = new AnalyticsFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public AnalyticsFilter {
        requireNonNull(lesson, "lesson");
        requireNonNull(grade, "grade");
        requireNonNull(ageRange, "ageRange");
        requireNonNull(from, "from");
        requireNonNull(to, "to");
    }
}
