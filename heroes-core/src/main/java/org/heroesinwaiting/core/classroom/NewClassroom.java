package org.heroesinwaiting.core.classroom;

import org.heroesinwaiting.core.InputChecks;
import org.heroesinwaiting.core.InvalidInputException;

/**
 * What a facilitator gives to create a classroom.
 *
 * @param name 1 to 100 characters (stripped)
 * @param gradeLevel 4 to 6
 * @param maxStudents seats, 1 to {@value #MAX_SEATS}
 */
public record NewClassroom(String name, int gradeLevel, int maxStudents) {

    /** The most students a classroom holds. */
    public static final int MAX_SEATS = 30;
    /** The longest name. */
    public static final int MAX_NAME_LENGTH = 100;

    /**
     * Validates and strips the name.
     *
     * @throws InvalidInputException naming each field that breaks a rule
     */
    public NewClassroom {
        InputChecks checks = new InputChecks();
        if (checks.require("name", name)) {
            name = checkName(checks, name);
        }
        Demographics.checkGrade(checks, gradeLevel);
        checkSeats(checks, maxStudents);
        checks.throwIfAny();
    }

    /**
     * What a facilitator sends, any part of which may be missing.
     *
     * @param name as sent, or {@code null}
     * @param gradeLevel as sent, or {@code null}
     * @param maxStudents as sent, or {@code null} for {@value #MAX_SEATS}
     * @return the classroom to create
     * @throws InvalidInputException naming each field that is missing or breaks a rule
     */
    public static NewClassroom of(String name, Integer gradeLevel, Integer maxStudents) {
        InputChecks checks = new InputChecks();
        if (checks.require("name", name)) {
            checkName(checks, name);
        }
        if (checks.require("grade_level", gradeLevel)) {
            Demographics.checkGrade(checks, gradeLevel);
        }
        if (maxStudents != null) {
            checkSeats(checks, maxStudents);
        }
        checks.throwIfAny();
        return new NewClassroom(name, gradeLevel, maxStudents == null ? MAX_SEATS : maxStudents);
    }

    static String checkName(InputChecks checks, String name) {
        String stripped = name.strip();
        checks.check(!stripped.isEmpty() && stripped.length() <= MAX_NAME_LENGTH, "name", "must have 1 to " + MAX_NAME_LENGTH + " characters");
        return stripped;
    }

    static void checkSeats(InputChecks checks, int maxStudents) {
        checks.check(maxStudents >= 1 && maxStudents <= MAX_SEATS, "max_students", "must be 1 to " + MAX_SEATS);
    }
}
