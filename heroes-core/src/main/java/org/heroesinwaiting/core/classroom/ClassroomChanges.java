package org.heroesinwaiting.core.classroom;

import java.time.Instant;
import java.util.Optional;

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

    /** Validates and strips the name. */
    public ClassroomChanges {
        if (name != null) {
            name = NewClassroom.checkName(name);
        }
        if (gradeLevel != null) {
            NewClassroom.checkGrade(gradeLevel);
        }
        if (maxStudents != null) {
            NewClassroom.checkSeats(maxStudents);
        }
    }

    /** @return whether it changes nothing */
    public boolean isEmpty() {
        return name == null && gradeLevel == null && maxStudents == null && joinEnabled == null && codeExpiresAt == null;
    }
}
