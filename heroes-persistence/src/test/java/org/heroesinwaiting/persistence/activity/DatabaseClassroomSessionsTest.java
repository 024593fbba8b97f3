package org.heroesinwaiting.persistence.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.heroesinwaiting.core.activity.ClassroomArchivedException;
import org.heroesinwaiting.core.activity.ClassroomSession;
import org.heroesinwaiting.core.activity.LessonNotFoundException;
import org.heroesinwaiting.core.activity.SessionAlreadyOpenException;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.classroom.Classroom;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.heroesinwaiting.persistence.Facilitators;
import org.heroesinwaiting.persistence.Fixtures;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.classroom.DatabaseClassrooms;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lessons taught in a classroom, and facilitators' notes, as heroes_app. */
class DatabaseClassroomSessionsTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private final MutableClock clock = MutableClock.startingNow();
    private DatabaseClassroomSessions sessions;
    private DatabaseClassrooms classrooms;
    private AuthenticatedFacilitator dana;
    private AuthenticatedFacilitator eli;
    private Classroom room;

    @BeforeEach
    void create(DataSource app, @Owner Jdbi owner) {
        TransactionRunner transactions = Fixtures.transactions(app);
        sessions = new DatabaseClassroomSessions(transactions, clock);
        classrooms = new DatabaseClassrooms(transactions, clock);
        Fixtures.curriculum(transactions, clock);
        dana = Facilitators.create(owner, "facilitator");
        eli = Facilitators.create(owner, "facilitator");
        room = classrooms.create(dana, new NewClassroom("Room 12", 5, 30));
    }

    @Test
    void oneOpenSessionAtATimeThenTheNext() {
        ClassroomSession first = sessions.start(dana, room.id(), 3);

        assertThat(first.isOpen()).isTrue();
        assertThat(first.lessonNumber()).isEqualTo(3);
        assertThat(first.startedAt()).isEqualTo(clock.instant());
        assertThatThrownBy(() -> sessions.start(dana, room.id(), 4)).isInstanceOf(SessionAlreadyOpenException.class);
        clock.advance(Duration.ofMinutes(45));
        ClassroomSession ended = sessions.end(dana, room.id(), first.id());
        assertThat(ended.endedAt()).isEqualTo(clock.instant());
        clock.advance(Duration.ofMinutes(5));
        assertThat(sessions.end(dana, room.id(), first.id()).endedAt()).as("ending twice changes nothing").isEqualTo(ended.endedAt());
        ClassroomSession second = sessions.start(dana, room.id(), 4);

        assertThat(sessions.list(dana, room.id(), 50, null).items()).extracting(ClassroomSession::id).containsExactly(second.id(), first.id());
        assertThat(sessions.list(dana, room.id(), 1, null).nextCursor()).isNotNull();
    }

    @Test
    void twoSimultaneousStartsOpenExactlyOneSession() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                int lesson = i % 12 + 1;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        sessions.start(dana, room.id(), lesson);
                        return "started";
                    } catch (SessionAlreadyOpenException e) {
                        return "409";
                    }
                }));
            }
            go.countDown();
            List<String> answers = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                answers.add(outcome.get(30, TimeUnit.SECONDS));
            }
            assertThat(answers).filteredOn("started"::equals).hasSize(1);
            assertThat(answers).filteredOn("409"::equals).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherFacilitatorsClassroomAnUnknownLessonAndAnArchivedClassroomAreRefused() {
        ClassroomSession open = sessions.start(dana, room.id(), 1);

        assertThatThrownBy(() -> sessions.start(eli, room.id(), 2)).isInstanceOf(ClassroomNotFoundException.class);
        assertThatThrownBy(() -> sessions.end(eli, room.id(), open.id())).isInstanceOf(ClassroomNotFoundException.class);
        assertThatThrownBy(() -> sessions.list(eli, room.id(), 50, null)).isInstanceOf(ClassroomNotFoundException.class);
        assertThat(sessions.list(dana, room.id(), 50, null).items().get(0).isOpen()).as("eli ended nothing").isTrue();
        Classroom other = classrooms.create(dana, new NewClassroom("Room 14", 5, 30));
        assertThatThrownBy(() -> sessions.start(dana, other.id(), 13)).isInstanceOf(LessonNotFoundException.class);
        classrooms.archive(dana, other.id());
        assertThatThrownBy(() -> sessions.start(dana, other.id(), 2)).isInstanceOf(ClassroomArchivedException.class);
    }

    @Test
    void notesAreTheFacilitatorsOwn() {
        sessions.addNote(dana, 2, room.id(), "  The role play ran long.  ");
        clock.advance(Duration.ofMinutes(1));
        sessions.addNote(dana, 2, null, "Try smaller groups.");
        sessions.addNote(eli, 2, null, "Eli's own note.");

        assertThat(sessions.notes(dana, 2)).extracting(note -> note.notes()).containsExactly("Try smaller groups.", "The role play ran long.");
        assertThat(sessions.notes(eli, 2)).hasSize(1);
        assertThat(sessions.notes(dana, 3)).isEmpty();
        assertThatThrownBy(() -> sessions.addNote(eli, 2, room.id(), "about dana's class")).isInstanceOf(ClassroomNotFoundException.class);
        assertThatThrownBy(() -> sessions.addNote(dana, 13, null, "x")).isInstanceOf(LessonNotFoundException.class);
        assertThatThrownBy(() -> sessions.addNote(dana, 2, null, " ")).isInstanceOf(org.heroesinwaiting.core.InvalidInputException.class)
                .hasMessage("notes must have 1 to 8000 characters");
    }
}
