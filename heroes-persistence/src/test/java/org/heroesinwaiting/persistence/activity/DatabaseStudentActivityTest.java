package org.heroesinwaiting.persistence.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.heroesinwaiting.persistence.SqlStateCondition.sqlState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.heroesinwaiting.core.NotPermittedException;
import org.heroesinwaiting.core.activity.FeedbackItem;
import org.heroesinwaiting.core.activity.ItemResult;
import org.heroesinwaiting.core.activity.ItemStatus;
import org.heroesinwaiting.core.activity.ProgressItem;
import org.heroesinwaiting.core.activity.ProgressStatus;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.classroom.AuthenticatedStudent;
import org.heroesinwaiting.core.classroom.Classroom;
import org.heroesinwaiting.core.classroom.Demographics;
import org.heroesinwaiting.core.classroom.JoinedStudent;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.heroesinwaiting.core.curriculum.CurriculumSnapshot;
import org.heroesinwaiting.persistence.Facilitators;
import org.heroesinwaiting.persistence.Fixtures;
import org.heroesinwaiting.persistence.SqlStates;
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

/** Progress batches as the student's app sends them: as heroes_app, as the student. */
class DatabaseStudentActivityTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private final MutableClock clock = MutableClock.startingNow();
    private DatabaseStudentActivity activity;
    private DatabaseStudentSessions students;
    private DatabaseClassrooms classrooms;
    private CurriculumSnapshot curriculum;
    private AuthenticatedFacilitator dana;
    private Jdbi owner;
    private DataSource app;

    @BeforeEach
    void create(DataSource appLogin, @Owner Jdbi ownerJdbi) {
        owner = ownerJdbi;
        app = appLogin;
        TransactionRunner transactions = Fixtures.transactions(app);
        activity = new DatabaseStudentActivity(transactions, clock);
        students = new DatabaseStudentSessions(transactions, Duration.ofHours(8));
        classrooms = new DatabaseClassrooms(transactions, clock);
        curriculum = Fixtures.curriculum(transactions, clock);
        dana = Facilitators.create(owner, "facilitator");
    }

    private AuthenticatedStudent student(Classroom room) {
        JoinedStudent joined = students.join(room.classroomCode(), new Demographics("10-11", 5), null, null);
        return students.authenticate(joined.token(), null);
    }

    private UUID content(int lesson, int item) {
        return curriculum.lesson(lesson).orElseThrow().content().get(item).id();
    }

    private ProgressItem item(String key, int lesson, UUID content, String status) {
        return new ProgressItem(key, lesson, content, status(status), 60, clock.instant().minusSeconds(300));
    }

    /** @return the status, or none for a word that is none (the server refuses it as it parses; the storage, when none came) */
    private static ProgressStatus status(String wire) {
        try {
            return ProgressStatus.parse(wire);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private int rows(UUID session) {
        return owner.withHandle(h -> h.createQuery("SELECT count(*) FROM student_progress WHERE student_session_id = :s").bind("s", session)
                .mapTo(Integer.class).one());
    }

    @Test
    void aBatchOfAHundredWithOneBadItemStoresNinetyNineAndAReplayStoresNothing() {
        AuthenticatedStudent student = student(classrooms.create(dana, new NewClassroom("Room 12", 5, 30)));
        List<ProgressItem> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int lesson = i % 12 + 1;
            batch.add(i == 42 ? item("k" + i, 3, content(2, 1), "started") : item("k" + i, lesson, content(lesson, i % 2), "started"));
        }

        List<ItemResult> first = activity.recordProgress(student, batch);
        List<ItemResult> replay = activity.recordProgress(student, batch);

        assertThat(first).extracting(result -> result.status().wire()).filteredOn("stored"::equals).hasSize(99);
        assertThat(first.get(42).status()).isEqualTo(ItemStatus.REJECTED);
        assertThat(first.get(42).problem()).contains("is not an item of lesson 3");
        assertThat(first).extracting(ItemResult::index).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).boxed().toList());
        assertThat(replay).extracting(result -> result.status().wire()).filteredOn("duplicate"::equals).hasSize(99);
        assertThat(replay.get(42).status()).isEqualTo(ItemStatus.REJECTED);
        assertThat(rows(student.sessionId())).isEqualTo(99);
    }

    @Test
    void concurrentReplaysFromTwoConnectionsStoreEachItemOnce() throws Exception {
        AuthenticatedStudent student = student(classrooms.create(dana, new NewClassroom("Room 12", 5, 30)));
        List<ProgressItem> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(item("key-" + i, 1, content(1, 1), i % 2 == 0 ? "started" : "completed"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<ItemResult>>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return activity.recordProgress(student, batch);
                }));
            }
            go.countDown();
            List<ItemResult> all = new ArrayList<>(runs.get(0).get(60, TimeUnit.SECONDS));
            all.addAll(runs.get(1).get(60, TimeUnit.SECONDS));
            assertThat(all).extracting(result -> result.status().wire()).filteredOn("stored"::equals).hasSize(50);
            assertThat(all).extracting(result -> result.status().wire()).filteredOn("duplicate"::equals).hasSize(50);
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows(student.sessionId())).isEqualTo(50);
    }

    @Test
    void badItemsAreEachRejectedWithTheirReason() {
        AuthenticatedStudent student = student(classrooms.create(dana, new NewClassroom("Room 12", 5, 30)));
        List<ItemResult> results = activity.recordProgress(student, List.of(
                item("", 1, content(1, 0), "started"),
                item("a", 13, content(1, 0), "started"),
                item("b", 1, content(1, 0), "finished"),
                new ProgressItem("c", 1, content(1, 0), ProgressStatus.STARTED, -5, clock.instant()),
                new ProgressItem("d", 1, content(1, 0), ProgressStatus.STARTED, 10, clock.instant().plus(Duration.ofDays(2))),
                item("e", 1, UUID.randomUUID(), "started"),
                item("f", 1, content(1, 0), "completed")));

        assertThat(results).extracting(result -> result.status().wire()).containsExactly("rejected", "rejected", "rejected", "rejected", "rejected",
                "rejected", "stored");
        assertThat(results).extracting(ItemResult::problem).startsWith("idempotency_key must have 1 to 100 characters",
                "lesson_number must be 1 to 12", "status must be started or completed", "time_spent_seconds must be 0 to 86400",
                "client_timestamp is more than a day in the future");
        assertThatThrownBy(() -> activity.recordProgress(student, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEndedSessionWritesNothing() {
        Classroom room = classrooms.create(dana, new NewClassroom("Room 12", 5, 30));
        AuthenticatedStudent student = student(room);
        classrooms.endStudentSession(dana, room.id(), student.sessionId());

        assertThatThrownBy(() -> activity.recordProgress(student, List.of(item("k", 1, content(1, 0), "started"))))
                .isInstanceOf(InvalidTokenException.class);
        assertThat(rows(student.sessionId())).isZero();
    }

    @Test
    void aStudentCannotWriteIntoAnotherClassroom() {
        AuthenticatedStudent student = student(classrooms.create(dana, new NewClassroom("Room 12", 5, 30)));
        Classroom other = classrooms.create(Facilitators.create(owner, "facilitator"), new NewClassroom("Room 99", 5, 30));
        AuthenticatedStudent forged = new AuthenticatedStudent(student.sessionId(), other.id(), student.expiresAt());

        assertThatThrownBy(() -> activity.recordProgress(forged, List.of(item("k", 1, content(1, 0), "started"))))
                .isInstanceOf(NotPermittedException.class).has(sqlState(SqlStates.INSUFFICIENT_PRIVILEGE));
        assertThat(rows(student.sessionId())).isZero();
    }

    private FeedbackItem feedback(String key, int lesson, Map<String, String> answers) {
        return new FeedbackItem(key, lesson, null, 4, "calm", answers, clock.instant().minusSeconds(60));
    }

    @Test
    void feedbackAnswersOnlyTheLessonsQuestionsWithTheirOptionsAndIsStoredOnce() {
        AuthenticatedStudent student = student(classrooms.create(dana, new NewClassroom("Room 12", 5, 30)));
        List<FeedbackItem> batch = List.of(
                feedback("f1", 1, Map.of("felt-safe", "yes")),
                feedback("f2", 1, Map.of("felt-safe", "I was scared of Sam")),
                feedback("f3", 1, Map.of("favourite", "yes")),
                new FeedbackItem("f4", 1, null, 6, "calm", Map.of(), clock.instant()),
                new FeedbackItem("f5", 1, null, 3, "angry", Map.of(), clock.instant()),
                new FeedbackItem("f6", 1, UUID.randomUUID(), 3, "sad", Map.of(), clock.instant()),
                feedback("f7", 2, Map.of()));

        List<ItemResult> first = activity.recordFeedback(student, batch);
        List<ItemResult> replay = activity.recordFeedback(student, batch);

        assertThat(first).extracting(result -> result.status().wire()).containsExactly("stored", "rejected", "rejected", "rejected", "rejected",
                "rejected", "stored");
        assertThat(first.get(1).problem()).isEqualTo("question felt-safe allows yes, no, not I was scared of Sam");
        assertThat(first.get(2).problem()).isEqualTo("lesson 1 has no question favourite");
        assertThat(first.get(5).problem()).contains("classroom_session_id");
        assertThat(replay).extracting(result -> result.status().wire()).containsExactly("duplicate", "rejected", "rejected", "rejected", "rejected",
                "rejected", "duplicate");
        String stored = owner.withHandle(h -> h.createQuery("SELECT string_agg(answers::text, ' ' ORDER BY idempotency_key) FROM student_feedback")
                .mapTo(String.class).one());
        assertThat(stored).isEqualTo("{\"felt-safe\": \"yes\"} {}");
    }

    @Test
    void theStudentSeesTheOpenLessonAndTheirProgressInItNeverMovingBack() {
        Classroom room = classrooms.create(dana, new NewClassroom("Room 12", 5, 30));
        AuthenticatedStudent student = student(room);
        assertThat(students.profile(student).openLesson()).isNull();
        DatabaseClassroomSessions sessions = new DatabaseClassroomSessions(Fixtures.transactions(app), clock);
        var open = sessions.start(dana, room.id(), 1);

        activity.recordProgress(student, List.of(item("p1", 1, content(1, 1), "completed"), item("p2", 1, content(1, 0), "started")));
        activity.recordProgress(student, List.of(item("p3", 1, content(1, 1), "started")));
        var profile = students.profile(student).openLesson();

        assertThat(profile.sessionId()).isEqualTo(open.id());
        assertThat(profile.lessonNumber()).isEqualTo(1);
        assertThat(profile.progress()).containsExactlyInAnyOrder(
                new org.heroesinwaiting.core.classroom.StudentProfile.ItemProgress(content(1, 1), "completed"),
                new org.heroesinwaiting.core.classroom.StudentProfile.ItemProgress(content(1, 0), "started"));
    }
}
