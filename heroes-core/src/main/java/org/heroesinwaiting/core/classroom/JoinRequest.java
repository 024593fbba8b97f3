package org.heroesinwaiting.core.classroom;

import static java.util.Objects.requireNonNull;

import org.heroesinwaiting.core.InputChecks;
import org.heroesinwaiting.core.InvalidInputException;

/**
 * What a student sends to join: the code as typed (its form is checked by the join, so that a
 * wrong code and a malformed one cost a guess alike) and the two facts of {@link Demographics}.
 *
 * <pre>{@code
 * JoinRequest request = JoinRequest.of(body.classroomCode(), body.ageRange(), body.gradeLevel());
 * JoinedStudent joined = students.join(request.classroomCode(), request.demographics(), address, requestId);
 * }</pre>
 *
 * @param classroomCode the code as typed
 * @param demographics the student's age range and grade
 */
public record JoinRequest(String classroomCode, Demographics demographics) {

    /** Validates. */
    public JoinRequest {
        requireNonNull(classroomCode, "classroomCode");
        requireNonNull(demographics, "demographics");
    }

    /**
     * @param classroomCode as sent, or {@code null}
     * @param ageRange as sent, or {@code null}
     * @param gradeLevel as sent, or {@code null}
     * @return the request
     * @throws InvalidInputException naming every field that is missing or breaks a rule
     */
    public static JoinRequest of(String classroomCode, String ageRange, Integer gradeLevel) {
        InputChecks checks = new InputChecks();
        checks.require("classroom_code", classroomCode);
        Demographics.check(checks, ageRange, gradeLevel);
        checks.throwIfAny();
        return new JoinRequest(classroomCode, new Demographics(ageRange, gradeLevel));
    }
}
