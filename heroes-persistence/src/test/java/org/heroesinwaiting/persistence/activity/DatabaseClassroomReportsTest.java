package org.heroesinwaiting.persistence.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.core.activity.FeedbackItem;
import org.heroesinwaiting.core.activity.LessonFeedback;
import org.heroesinwaiting.core.activity.LessonProgress;
import org.heroesinwaiting.core.activity.ProgressItem;
import org.heroesinwaiting.core.activity.ProgressStatus;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.classroom.AuthenticatedStudent;
import org.heroesinwaiting.core.classroom.Classroom;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.heroesinwaiting.core.classroom.Demographics;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.heroesinwaiting.core.curriculum.CurriculumSnapshot;
import org.heroesinwaiting.persistence.Facilitators;
import org.heroesinwaiting.persistence.Fixtures;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.classroom.DatabaseClassrooms;
import org.heroesinwaiting.persistence.classroom.DatabaseStudentSessions;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The facilitator's views match the rows the students' batches wrote, and hide breakdowns under 5 students. */
class DatabaseClassroomReportsTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private final MutableClock clock = MutableClock.startingNow();
    private DatabaseClassroomReports reports;
    private DatabaseStudentActivity activity;
    private DatabaseStudentSessions students;
    private CurriculumSnapshot curriculum;
    private AuthenticatedFacilitator dana;
    private Classroom room;
    private Jdbi owner;

    @BeforeEach
    void create(DataSource app, @Owner Jdbi ownerJdbi) {
        owner = ownerJdbi;
        TransactionRunner transactions = Fixtures.transactions(app);
        reports = new DatabaseClassroomReports(transactions);
        activity = new DatabaseStudentActivity(transactions, clock);
        students = new DatabaseStudentSessions(transactions, Duration.ofHours(8));
        curriculum = Fixtures.curriculum(transactions, clock);
        dana = Facilitators.create(owner, "facilitator");
        room = new DatabaseClassrooms(transactions, clock).create(dana, new NewClassroom("Room 12", 5, 30));
    }

    private AuthenticatedStudent student() {
        return students.authenticate(students.join(room.classroomCode(), new Demographics("10-11", 5), null, null).token(), null);
    }

    private ProgressItem progress(String key, int item, String status) {
        return new ProgressItem(key, 1, curriculum.lesson(1).orElseThrow().content().get(item).id(), ProgressStatus.parse(status), 30, clock.instant());
    }

    @Test
    void progressCountsStartedAndCompletedStudentsAndALateStartUndoesNothing() {
        activity.recordProgress(student(), List.of(progress("a1", 0, "completed"), progress("a2", 1, "completed")));
        activity.recordProgress(student(), List.of(progress("b1", 1, "started")));
        AuthenticatedStudent late = student();
        activity.recordProgress(late, List.of(progress("c1", 0, "completed"), progress("c2", 1, "completed")));
        activity.recordProgress(late, List.of(progress("c3", 1, "started")));

        List<LessonProgress> view = reports.progress(dana, room.id());

        assertThat(view).hasSize(12);
        assertThat(view.get(0)).isEqualTo(new LessonProgress(1, 3, 2, 2.0 / 3));
        assertThat(view.get(1)).isEqualTo(new LessonProgress(2, 0, 0, null));
    }

    @Test
    void feedbackBreaksAnswersDownOnlyFromFiveStudentsUp() {
        for (int i = 0; i < 5; i++) {
            activity.recordFeedback(student(), List.of(
                    new FeedbackItem("l2-" + i, 2, null, i < 3 ? 5 : 4, "happy", Map.of("felt-safe", i == 0 ? "no" : "yes"), clock.instant()),
                    i < 4 ? new FeedbackItem("l1-" + i, 1, null, 3, "calm", Map.of("felt-safe", "yes"), clock.instant())
                            : new FeedbackItem("l3-" + i, 3, null, 2, "sad", Map.of(), clock.instant())));
        }

        List<LessonFeedback> view = reports.feedback(dana, room.id());

        assertThat(view).extracting(LessonFeedback::lessonNumber).containsExactly(1, 2, 3);
        LessonFeedback one = view.get(0);
        assertThat(one.questions().get("felt-safe").students()).isEqualTo(4);
        assertThat(one.questions().get("felt-safe").responses()).isEqualTo(4);
        assertThat(one.questions().get("felt-safe").counts()).as("four students: counts, no breakdown").isNull();
        assertThat(one.rating().counts()).isNull();
        LessonFeedback two = view.get(1);
        assertThat(two.questions().get("felt-safe").counts()).isEqualTo(Map.of("yes", 4, "no", 1));
        assertThat(two.rating().counts()).isEqualTo(Map.of("5", 3, "4", 2));
        assertThat(two.mood().counts()).isEqualTo(Map.of("happy", 5));
        assertThat(view.get(2).questions()).isEmpty();
        assertThat(view.get(2).rating().students()).isEqualTo(1);
    }

    @Test
    void anotherFacilitatorSeesNoneOfIt() {
        AuthenticatedFacilitator eli = Facilitators.create(owner, "facilitator");
        assertThatThrownBy(() -> reports.progress(eli, room.id())).isInstanceOf(ClassroomNotFoundException.class);
        assertThatThrownBy(() -> reports.feedback(eli, room.id())).isInstanceOf(ClassroomNotFoundException.class);
    }
}
