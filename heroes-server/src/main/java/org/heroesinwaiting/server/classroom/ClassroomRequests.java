package org.heroesinwaiting.server.classroom;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.heroesinwaiting.core.WireFormats;
import org.heroesinwaiting.core.classroom.ClassroomChanges;
import org.heroesinwaiting.core.classroom.JoinRequest;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.ProblemException;

/** The bodies of the classroom and join endpoints: the wire's shapes of core's records, whose rules they apply. */
final class ClassroomRequests {

    private ClassroomRequests() {
    }

    /** Its rules are core's ({@code NewClassroom}). */
    record Create(String name, Integer gradeLevel, Integer maxStudents) {
        NewClassroom toNewClassroom() {
            return NewClassroom.of(name, gradeLevel, maxStudents);
        }
    }

    /** {@code code_expires_at}: absent keeps it, {@code null} clears it, a time sets it; the other rules are core's ({@code ClassroomChanges}). */
    record Update(String name, Integer gradeLevel, Integer maxStudents, Boolean joinEnabled, JsonNode codeExpiresAt) {
        ClassroomChanges toChanges() {
            Optional<Instant> expiry = null;
            if (codeExpiresAt != null) {
                if (codeExpiresAt.isNull()) {
                    expiry = Optional.empty();
                } else if (codeExpiresAt.isTextual() && WireFormats.instant(codeExpiresAt.textValue()).isPresent()) {
                    expiry = WireFormats.instant(codeExpiresAt.textValue());
                } else {
                    throw ProblemException.validation(List.of(new FieldError("/code_expires_at",
                            "must be " + WireFormats.INSTANT_FORM + ", or null to clear it")));
                }
            }
            return new ClassroomChanges(name, gradeLevel, maxStudents, joinEnabled, expiry);
        }
    }

    /** Its rules are core's ({@code JoinRequest}). */
    record Join(String classroomCode, String ageRange, Integer gradeLevel) {
        JoinRequest toJoinRequest() {
            return JoinRequest.of(classroomCode, ageRange, gradeLevel);
        }
    }
}
