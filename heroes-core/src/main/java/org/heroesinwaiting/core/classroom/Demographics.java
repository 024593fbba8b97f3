package org.heroesinwaiting.core.classroom;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * All that is ever known of a student: an age range and a grade. Nothing else can be stored, here
 * or in the database (a CHECK constraint allows exactly these two keys).
 *
 * @param ageRange {@code 8-9}, {@code 10-11} or {@code 12-13}
 * @param gradeLevel 4, 5 or 6
 */
public record Demographics(String ageRange, int gradeLevel) {

    /** The age ranges a student may choose. */
    public static final List<String> AGE_RANGES = List.of("8-9", "10-11", "12-13");
    /** The lowest grade. */
    public static final int MIN_GRADE = 4;
    /** The highest grade. */
    public static final int MAX_GRADE = 6;

    /** Validates. */
    public Demographics {
        requireNonNull(ageRange, "ageRange");
        if (!AGE_RANGES.contains(ageRange)) {
            throw new IllegalArgumentException("age_range must be one of " + AGE_RANGES);
        }
        if (gradeLevel < MIN_GRADE || gradeLevel > MAX_GRADE) {
            throw new IllegalArgumentException("grade_level must be " + MIN_GRADE + " to " + MAX_GRADE);
        }
    }
}
