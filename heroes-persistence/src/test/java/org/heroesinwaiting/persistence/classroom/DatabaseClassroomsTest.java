package org.heroesinwaiting.persistence.classroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.classroom.Classroom;
import org.heroesinwaiting.core.classroom.ClassroomChanges;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.heroesinwaiting.core.classroom.Demographics;
import org.heroesinwaiting.core.classroom.JoinCode;
import org.heroesinwaiting.core.classroom.JoinedStudent;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.heroesinwaiting.core.classroom.StudentSummary;
import org.heroesinwaiting.core.classroom.UnknownJoinCodeException;
import org.heroesinwaiting.persistence.Facilitators;
import org.heroesinwaiting.persistence.Fixtures;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.testkit.DatabaseClock;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A facilitator's classrooms as heroes_app: row level security decides what exists. */
class DatabaseClassroomsTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private final MutableClock clock = MutableClock.startingNow();
    private javax.sql.DataSource ownerLogin;
    private DatabaseClassrooms classrooms;
    private DatabaseStudentSessions students;
    private AuthenticatedFacilitator dana;
    private AuthenticatedFacilitator eli;
    private AuthenticatedFacilitator admin;

    @BeforeEach
    void create(javax.sql.DataSource app, @Owner javax.sql.DataSource ownerDataSource, @Owner Jdbi owner) {
        ownerLogin = ownerDataSource;
        TransactionRunner transactions = Fixtures.transactions(app);
        classrooms = new DatabaseClassrooms(transactions, clock);
        students = new DatabaseStudentSessions(transactions, Duration.ofHours(8));
        dana = Facilitators.create(owner, "facilitator");
        eli = Facilitators.create(owner, "facilitator");
        admin = Facilitators.create(owner, "admin");
    }

    @Test
    void aNewClassroomHasAUniqueCanonicalCodeAndThirtySeats() {
        Classroom room = classrooms.create(dana, new NewClassroom("  Room 12 ", 5, 30));
        Classroom other = classrooms.create(dana, new NewClassroom("Room 14", 6, 12));

        assertThat(room.name()).isEqualTo("Room 12");
        assertThat(room.classroomCode()).matches("[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}").isNotEqualTo(other.classroomCode());
        assertThat(new JoinCode(room.classroomCode()).display()).hasSize(9).contains("-");
        assertThat(room.maxStudents()).isEqualTo(30);
        assertThat(room.joinEnabled()).isTrue();
        assertThat(room.studentCount()).isZero();
        assertThat(room.createdAt()).isEqualTo(clock.instant());
        assertThat(other.maxStudents()).isEqualTo(12);
    }

    @Test
    void anotherFacilitatorsClassroomDoesNotExistForThemButAnAdminSeesIt() {
        Classroom room = classrooms.create(dana, new NewClassroom("Room 12", 5, 30));
        JoinedStudent student = students.join(room.classroomCode(), new Demographics("8-9", 4), null, null);

        assertThat(classrooms.find(eli, room.id())).isEmpty();
        assertThat(classrooms.list(eli, 50, null).items()).isEmpty();
        assertThatThrownBy(() -> classrooms.update(eli, room.id(), new ClassroomChanges("Mine now", null, null, null, null)))
                .isInstanceOf(ClassroomNotFoundException.class);
        assertThatThrownBy(() -> classrooms.archive(eli, room.id())).isInstanceOf(ClassroomNotFoundException.class);
        assertThatThrownBy(() -> classrooms.regenerateCode(eli, room.id())).isInstanceOf(ClassroomNotFoundException.class);
        assertThatThrownBy(() -> classrooms.students(eli, room.id(), 50, null)).isInstanceOf(ClassroomNotFoundException.class);
        assertThatThrownBy(() -> classrooms.endStudentSession(eli, room.id(), student.sessionId()))
                .isInstanceOf(ClassroomNotFoundException.class);
        assertThat(classrooms.find(dana, room.id()).orElseThrow().name()).as("nothing changed").isEqualTo("Room 12");

        assertThat(classrooms.find(admin, room.id())).isPresent();
        assertThat(classrooms.list(admin, 50, null).items()).extracting(Classroom::id).contains(room.id());
    }

    @Test
    void listsPageNewestFirst() {
        List<Classroom> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(classrooms.create(dana, new NewClassroom("Room " + i, 5, 30)));
            clock.advance(Duration.ofMinutes(1));
        }
        Page<Classroom> first = classrooms.list(dana, 2, null);
        Page<Classroom> second = classrooms.list(dana, 2, first.nextCursor());
        Page<Classroom> last = classrooms.list(dana, 2, second.nextCursor());

        assertThat(first.items()).extracting(Classroom::name).containsExactly("Room 4", "Room 3");
        assertThat(second.items()).extracting(Classroom::name).containsExactly("Room 2", "Room 1");
        assertThat(last.items()).extracting(Classroom::name).containsExactly("Room 0");
        assertThat(last.nextCursor()).isNull();
        assertThatThrownBy(() -> classrooms.list(dana, 2, "not-a-cursor")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void updatesChangeOnlyWhatTheyName() {
        Classroom room = classrooms.create(dana, new NewClassroom("Room 12", 5, 30));
        Instant expiry = clock.instant().plus(Duration.ofDays(7));

        Classroom renamed = classrooms.update(dana, room.id(), new ClassroomChanges("Room 12B", null, 25, null, Optional.of(expiry)));
        Classroom cleared = classrooms.update(dana, room.id(), new ClassroomChanges(null, 6, null, false, Optional.empty()));

        assertThat(renamed.name()).isEqualTo("Room 12B");
        assertThat(renamed.maxStudents()).isEqualTo(25);
        assertThat(renamed.gradeLevel()).isEqualTo(5);
        assertThat(renamed.codeExpiresAt()).isEqualTo(expiry);
        assertThat(cleared.name()).isEqualTo("Room 12B");
        assertThat(cleared.gradeLevel()).isEqualTo(6);
        assertThat(cleared.joinEnabled()).isFalse();
        assertThat(cleared.codeExpiresAt()).isNull();
        assertThat(cleared.classroomCode()).isEqualTo(room.classroomCode());
    }

    @Test
    void aNewCodeRetiresTheOldOneAtOnce() {
        Classroom room = classrooms.create(dana, new NewClassroom("Room 12", 5, 30));

        Classroom renewed = classrooms.regenerateCode(dana, room.id());

        assertThat(renewed.classroomCode()).isNotEqualTo(room.classroomCode());
        assertThatThrownBy(() -> students.join(room.classroomCode(), new Demographics("8-9", 4), null, null))
                .isInstanceOf(UnknownJoinCodeException.class);
        assertThat(students.join(renewed.classroomCode(), new Demographics("8-9", 4), null, null).classroomName()).isEqualTo("Room 12");
    }

    @Test
    void theStudentListShowsStatusAndDemographicsOnly() {
        Classroom room = classrooms.create(dana, new NewClassroom("Room 12", 5, 30));
        JoinedStudent first = students.join(room.classroomCode(), new Demographics("10-11", 5), null, null);
        DatabaseClock.backdate(ownerLogin, "student_sessions", Duration.ofMinutes(1), "id = ?", first.sessionId());
        JoinedStudent second = students.join(room.classroomCode(), new Demographics("12-13", 6), null, null);

        assertThat(classrooms.endStudentSession(dana, room.id(), first.sessionId())).isTrue();
        assertThat(classrooms.endStudentSession(dana, room.id(), first.sessionId())).as("already ended").isFalse();
        List<StudentSummary> listed = classrooms.students(dana, room.id(), 50, null).items();

        assertThat(listed).extracting(StudentSummary::id).containsExactly(second.sessionId(), first.sessionId());
        assertThat(listed).extracting(StudentSummary::status).containsExactly("active", "ended");
        assertThat(listed.get(0).ageRange()).isEqualTo("12-13");
        assertThat(listed.get(0).gradeLevel()).isEqualTo(6);
        assertThat(classrooms.find(dana, room.id()).orElseThrow().studentCount()).isEqualTo(1);
        DatabaseClock.backdate(ownerLogin, "student_sessions", Duration.ofHours(9), "classroom_id = ?", room.id());
        assertThat(classrooms.students(dana, room.id(), 50, null).items()).extracting(StudentSummary::status)
                .containsExactly("expired", "ended");
    }

    @Test
    void archivingStopsJoinsAndKeepsTheData() {
        Classroom room = classrooms.create(dana, new NewClassroom("Room 12", 5, 30));
        students.join(room.classroomCode(), new Demographics("8-9", 4), null, null);

        classrooms.archive(dana, room.id());
        Classroom archived = classrooms.find(dana, room.id()).orElseThrow();

        assertThat(archived.archivedAt()).isEqualTo(clock.instant());
        assertThat(archived.joinEnabled()).isFalse();
        assertThat(classrooms.students(dana, room.id(), 50, null).items()).hasSize(1);
    }
}
