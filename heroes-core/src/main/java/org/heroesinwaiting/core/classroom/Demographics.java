package org.heroesinwaiting.core.classroom;

import java.util.List;
import org.heroesinwaiting.core.InputChecks;
import org.heroesinwaiting.core.InvalidInputException;

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

    /**
     * Validates.
     *
     * @throws InvalidInputException naming each field that breaks a rule
     */
    public Demographics {
        InputChecks checks = new InputChecks();
        checkAgeRange(checks, ageRange);
        checkGrade(checks, gradeLevel);
        checks.throwIfAny();
    }

    /**
     * What a student sends, any part of which may be missing.
     *
     * @param ageRange as sent, or {@code null}
     * @param gradeLevel as sent, or {@code null}
     * @return the demographics
     * @throws InvalidInputException naming each field that is missing or breaks a rule
     */
    public static Demographics of(String ageRange, Integer gradeLevel) {
        InputChecks checks = new InputChecks();
        check(checks, ageRange, gradeLevel);
        checks.throwIfAny();
        return new Demographics(ageRange, gradeLevel);
    }

    /**
     * @param checks where the problems go
     * @param ageRange as sent, or {@code null}
     * @param gradeLevel as sent, or {@code null}
     */
    static void check(InputChecks checks, String ageRange, Integer gradeLevel) {
        checkAgeRange(checks, ageRange);
        if (checks.require("grade_level", gradeLevel)) {
            checkGrade(checks, gradeLevel);
        }
    }

    private static void checkAgeRange(InputChecks checks, String ageRange) {
        if (checks.require("age_range", ageRange)) {
            checks.check(AGE_RANGES.contains(ageRange), "age_range", "must be one of " + String.join(", ", AGE_RANGES));
        }
    }

    /**
     * @param checks where a problem goes
     * @param gradeLevel a grade
     */
    static void checkGrade(InputChecks checks, int gradeLevel) {
        checks.check(gradeLevel >= MIN_GRADE && gradeLevel <= MAX_GRADE, "grade_level", "must be " + MIN_GRADE + " to " + MAX_GRADE);
    }
}
