package org.heroesinwaiting.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Optional;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.core.classroom.ClassroomChanges;
import org.heroesinwaiting.core.classroom.JoinRequest;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.junit.jupiter.api.Test;

/** Each rule of what a caller gives lives once, in core, and reports every problem with where it is. */
class InputRulesTest {

    @Test
    void aNewFacilitatorReportsEveryProblemByField() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> new NewFacilitator("not an address", null, " ", "owner"));

        assertThat(e.problems()).containsExactly(new InputProblem("email", "must be an email address"),
                new InputProblem("password", "is required"), new InputProblem("display_name", "must have 1 to 100 characters"),
                new InputProblem("role", "must be facilitator or admin"));
    }

    @Test
    void anEmailIsNormalisedAndAtMost254Characters() {
        assertThat(new NewFacilitator("  Rivera@School.Example ", "pw", " Ms Rivera ", "admin").email()).isEqualTo("rivera@school.example");
        String longest = "a".repeat(240) + "@school.example"; // 255 characters
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> new NewFacilitator(longest, "pw", "A", "facilitator"))
                .problems()).containsExactly(new InputProblem("email", "must be an email address"));
        assertThat(new NewFacilitator(longest.substring(1), "pw", "A", "facilitator").email()).hasSize(254);
    }

    @Test
    void aNewClassroomFromTheWireNamesMissingAndInvalidFieldsAndDefaultsItsSeats() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> NewClassroom.of(null, 9, 31));

        assertThat(e.problems()).containsExactly(new InputProblem("name", "is required"),
                new InputProblem("grade_level", "must be 4 to 6"), new InputProblem("max_students", "must be 1 to 30"));
        assertThat(NewClassroom.of(" Room 4 ", 5, null)).isEqualTo(new NewClassroom("Room 4", 5, 30));
    }

    @Test
    void aChangeMustNameAFieldAndEachFieldKeepsTheCreationRule() {
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> new ClassroomChanges(null, null, null, null, null))
                .problems()).extracting(InputProblem::field).containsExactly("");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> new ClassroomChanges("", 3, 0, null, Optional.empty()))
                .problems()).extracting(InputProblem::field).containsExactly("name", "grade_level", "max_students");
        assertThat(new ClassroomChanges(null, null, null, false, null).joinEnabled()).isFalse();
    }

    @Test
    void aJoinNamesTheMissingCodeAndTheDemographicsProblemsTogether() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> JoinRequest.of(null, "7-8", null));

        assertThat(e.problems()).containsExactly(new InputProblem("classroom_code", "is required"),
                new InputProblem("age_range", "must be one of 8-9, 10-11, 12-13"), new InputProblem("grade_level", "is required"));
        assertThat(e).hasMessage("classroom_code is required; age_range must be one of 8-9, 10-11, 12-13; grade_level is required");
    }

    @Test
    void anIncidentsStatusIsOneOfItsThree() {
        assertThat(org.heroesinwaiting.core.audit.SecurityIncident.validStatus("resolved")).isEqualTo("resolved");
        assertThat(catchThrowableOfType(InvalidInputException.class,
                () -> org.heroesinwaiting.core.audit.SecurityIncident.validStatus("closed")).problems())
                .containsExactly(new InputProblem("status", "must be open, acknowledged or resolved"));
        assertThat(catchThrowableOfType(InvalidInputException.class,
                () -> org.heroesinwaiting.core.audit.SecurityIncident.validStatus(null)).problems())
                .containsExactly(new InputProblem("status", "is required"));
    }
}
