package org.heroesinwaiting.server.classroom;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.heroesinwaiting.core.WireFormats;
import org.heroesinwaiting.core.classroom.ClassroomChanges;
import org.heroesinwaiting.core.classroom.Demographics;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.ProblemException;

/** The bodies of the classroom and join endpoints, each able to say everything wrong with it. */
final class ClassroomRequests {

    private ClassroomRequests() {
    }

    record Create(String name, Integer gradeLevel, Integer maxStudents) {
        NewClassroom validated() {
            List<FieldError> errors = new ArrayList<>();
            if (name == null) {
                errors.add(new FieldError("/name", "is required"));
            } else {
                checkName(errors, name);
            }
            if (gradeLevel == null) {
                errors.add(new FieldError("/grade_level", "is required"));
            } else {
                checkGrade(errors, gradeLevel);
            }
            if (maxStudents != null) {
                checkSeats(errors, maxStudents);
            }
            check(errors);
            return new NewClassroom(name, gradeLevel, maxStudents == null ? NewClassroom.MAX_SEATS : maxStudents);
        }
    }

    /** {@code code_expires_at}: absent keeps it, {@code null} clears it, a time sets it. */
    record Update(String name, Integer gradeLevel, Integer maxStudents, Boolean joinEnabled, JsonNode codeExpiresAt) {
        ClassroomChanges validated() {
            List<FieldError> errors = new ArrayList<>();
            if (name != null) {
                checkName(errors, name);
            }
            if (gradeLevel != null) {
                checkGrade(errors, gradeLevel);
            }
            if (maxStudents != null) {
                checkSeats(errors, maxStudents);
            }
            Optional<Instant> expiry = null;
            if (codeExpiresAt != null) {
                if (codeExpiresAt.isNull()) {
                    expiry = Optional.empty();
                } else if (codeExpiresAt.isTextual() && WireFormats.instant(codeExpiresAt.textValue()).isPresent()) {
                    expiry = WireFormats.instant(codeExpiresAt.textValue());
                } else {
                    errors.add(new FieldError("/code_expires_at", "must be " + WireFormats.INSTANT_FORM + ", or null to clear it"));
                }
            }
            check(errors);
            ClassroomChanges changes = new ClassroomChanges(name, gradeLevel, maxStudents, joinEnabled, expiry);
            if (changes.isEmpty()) {
                throw ProblemException.validation(List.of(new FieldError("", "names no field to change: name, grade_level, "
                        + "max_students, join_enabled or code_expires_at")));
            }
            return changes;
        }
    }

    record Join(String classroomCode, String ageRange, Integer gradeLevel) {
        Demographics validated() {
            List<FieldError> errors = new ArrayList<>();
            if (classroomCode == null) {
                errors.add(new FieldError("/classroom_code", "is required"));
            }
            if (ageRange == null) {
                errors.add(new FieldError("/age_range", "is required"));
            } else if (!Demographics.AGE_RANGES.contains(ageRange)) {
                errors.add(new FieldError("/age_range", "must be one of " + String.join(", ", Demographics.AGE_RANGES)));
            }
            if (gradeLevel == null) {
                errors.add(new FieldError("/grade_level", "is required"));
            } else {
                checkGrade(errors, gradeLevel);
            }
            check(errors);
            return new Demographics(ageRange, gradeLevel);
        }
    }

    private static void checkName(List<FieldError> errors, String name) {
        if (name.isBlank() || name.strip().length() > 100) {
            errors.add(new FieldError("/name", "must have 1 to 100 characters"));
        }
    }

    private static void checkGrade(List<FieldError> errors, int gradeLevel) {
        if (gradeLevel < Demographics.MIN_GRADE || gradeLevel > Demographics.MAX_GRADE) {
            errors.add(new FieldError("/grade_level", "must be " + Demographics.MIN_GRADE + " to " + Demographics.MAX_GRADE));
        }
    }

    private static void checkSeats(List<FieldError> errors, int maxStudents) {
        if (maxStudents < 1 || maxStudents > NewClassroom.MAX_SEATS) {
            errors.add(new FieldError("/max_students", "must be 1 to " + NewClassroom.MAX_SEATS));
        }
    }

    private static void check(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }
}
