package org.heroesinwaiting.core.classroom;

import static java.util.Objects.requireNonNull;

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

    /** Validates and strips the name. */
    public NewClassroom {
        name = checkName(name);
        checkGrade(gradeLevel);
        checkSeats(maxStudents);
    }

    static String checkName(String name) {
        requireNonNull(name, "name");
        String stripped = name.strip();
        if (stripped.isEmpty() || stripped.length() > 100) {
            throw new IllegalArgumentException("name must have 1 to 100 characters");
        }
        return stripped;
    }

    static void checkGrade(int gradeLevel) {
        if (gradeLevel < Demographics.MIN_GRADE || gradeLevel > Demographics.MAX_GRADE) {
            throw new IllegalArgumentException("grade_level must be " + Demographics.MIN_GRADE + " to " + Demographics.MAX_GRADE);
        }
    }

    static void checkSeats(int maxStudents) {
        if (maxStudents < 1 || maxStudents > MAX_SEATS) {
            throw new IllegalArgumentException("max_students must be 1 to " + MAX_SEATS);
        }
    }
}
