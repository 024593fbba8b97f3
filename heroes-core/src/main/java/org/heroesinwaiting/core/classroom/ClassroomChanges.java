package org.heroesinwaiting.core.classroom;

import java.time.Instant;
import java.util.Optional;
import org.heroesinwaiting.core.InputChecks;
import org.heroesinwaiting.core.InvalidInputException;

/**
 * A partial update of a classroom: {@code null} leaves a field as it is. The code's expiry can be
 * set, cleared ({@code Optional.empty()}) or left ({@code null}).
 *
 * @param name a new name
 * @param gradeLevel a new grade
 * @param maxStudents new seats (fewer than the students already in it is allowed: nobody is
 *     removed, new joins wait for seats)
 * @param joinEnabled whether students may join
 * @param codeExpiresAt the code's new expiry, or empty for none
 */
@SuppressWarnings("OptionalUsedAsFieldOrParameterType") // three states: keep, clear, set
public record ClassroomChanges(String name, Integer gradeLevel, Integer maxStudents, Boolean joinEnabled,
        Optional<Instant> codeExpiresAt) {

    /**
     * Validates and strips the name; a change must name at least one field.
     *
     * @throws InvalidInputException naming each field that breaks a rule
     */
    public ClassroomChanges {
        InputChecks checks = new InputChecks();
        if (name != null) {
            name = NewClassroom.checkName(checks, name);
        }
        if (gradeLevel != null) {
            Demographics.checkGrade(checks, gradeLevel);
        }
        if (maxStudents != null) {
            NewClassroom.checkSeats(checks, maxStudents);
        }
        checks.check(checks.any() || name != null || gradeLevel != null || maxStudents != null || joinEnabled != null
                || codeExpiresAt != null, "", "names no field to change: name, grade_level, max_students, join_enabled or code_expires_at");
        checks.throwIfAny();
    }

    /** @return whether it changes nothing */
    public boolean isEmpty() {
        return name == null && gradeLevel == null && maxStudents == null && joinEnabled == null && codeExpiresAt == null;
    }
}
