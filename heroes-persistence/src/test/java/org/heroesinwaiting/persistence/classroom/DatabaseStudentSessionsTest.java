package org.heroesinwaiting.persistence.classroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.heroesinwaiting.persistence.SqlStateCondition.sqlState;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.auth.ThrottledException;
import org.heroesinwaiting.core.classroom.AuthenticatedStudent;
import org.heroesinwaiting.core.classroom.Classroom;
import org.heroesinwaiting.core.classroom.ClassroomChanges;
import org.heroesinwaiting.core.classroom.ClassroomFullException;
import org.heroesinwaiting.core.classroom.Demographics;
import org.heroesinwaiting.core.classroom.InactiveJoinCodeException;
import org.heroesinwaiting.core.classroom.JoinCode;
import org.heroesinwaiting.core.classroom.JoinedStudent;
import org.heroesinwaiting.core.classroom.MalformedJoinCodeException;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.heroesinwaiting.core.classroom.UnknownJoinCodeException;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.persistence.Facilitators;
import org.heroesinwaiting.persistence.Fixtures;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.jobs.StandardJobs;
import org.heroesinwaiting.testkit.DatabaseClock;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Students' joins and tokens as the server runs them: as heroes_app, with real concurrency. */
class DatabaseStudentSessionsTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final Demographics TEN = new Demographics("10-11", 5);
    private static final InetAddress SCHOOL = address("198.51.100.7");
    private static final InetAddress GUESSER = address("203.0.113.99");

    private final MutableClock clock = MutableClock.startingNow();
    private DataSource app;
    private DataSource ownerLogin;
    private Jdbi owner;
    private DatabaseClassrooms classrooms;
    private DatabaseStudentSessions students;
    private AuthenticatedFacilitator teacher;

    @BeforeEach
    void create(DataSource appLogin, @Owner DataSource ownerDataSource, @Owner Jdbi ownerJdbi) {
        app = appLogin;
        ownerLogin = ownerDataSource;
        owner = ownerJdbi;
        TransactionRunner transactions = Fixtures.transactions(app);
        classrooms = new DatabaseClassrooms(transactions, clock);
        students = new DatabaseStudentSessions(transactions, Duration.ofHours(8), 5);
        teacher = Facilitators.create(owner, "facilitator");
    }

    private Classroom room(int seats) {
        return classrooms.create(teacher, new NewClassroom("Room 12", 5, seats));
    }

    @Test
    void fiftySimultaneousJoinsIntoThirtySeatsSeatExactlyThirty() throws Exception {
        Classroom room = room(30);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    try {
                        students.join(room.classroomCode(), TEN, SCHOOL, null);
                        return "joined";
                    } catch (ClassroomFullException e) {
                        return "full";
                    }
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> answer : answers) {
                outcomes.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertThat(outcomes).filteredOn("joined"::equals).hasSize(30);
            assertThat(outcomes).filteredOn("full"::equals).hasSize(20);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM student_sessions WHERE classroom_id = '" + room.id() + "'")).isEqualTo(30);
        assertThat(classrooms.find(teacher, room.id()).orElseThrow().studentCount()).isEqualTo(30);

        // a day later, on the clock that judges seats: yesterday's sessions have expired, the class joins again
        assertThat(DatabaseClock.backdate(ownerLogin, "student_sessions", Duration.ofDays(1), "classroom_id = ?", room.id())).isEqualTo(30);
        assertThat(students.join(room.classroomCode(), TEN, SCHOOL, null).classroomName()).isEqualTo("Room 12");
    }

    @Test
    void aJoinAnswersATokenThatAuthenticatesAndOnlyItsHashIsStored() {
        Classroom room = room(30);
        String typed = new JoinCode(room.classroomCode()).display().toLowerCase();
        Instant before = DatabaseClock.now(app);

        JoinedStudent joined = students.join(" " + typed + " ", TEN, SCHOOL, "req-join");
        AuthenticatedStudent student = students.authenticate(joined.token(), "req-me");

        Instant createdAt = owner.withHandle(h -> h.createQuery("SELECT created_at FROM student_sessions WHERE id = :id")
                .bind("id", joined.sessionId()).mapTo(Instant.class).one());
        assertThat(joined.expiresAt()).isEqualTo(createdAt.plus(Duration.ofHours(8)));
        assertThat(createdAt).isBetween(before, DatabaseClock.now(app));
        assertThat(joined.classroomGradeLevel()).isEqualTo(5);
        assertThat(student.sessionId()).isEqualTo(joined.sessionId());
        assertThat(student.classroomId()).isEqualTo(room.id());
        assertThat(students.profile(student).classroomName()).isEqualTo("Room 12");
        String stored = owner.withHandle(h -> h.createQuery("""
                SELECT encode(session_token_hash, 'hex') || demographic_data::text FROM student_sessions WHERE id = :id""")
                .bind("id", joined.sessionId()).mapTo(String.class).one());
        assertThat(stored).doesNotContain(joined.token()).contains("\"age_range\": \"10-11\"");
        // the audit trail names the student session, never an address
        List<String> audit = owner.withHandle(h -> h.createQuery("""
                SELECT coalesce(student_session_id::text, '-') || ' ' || coalesce(host(client_ip), '-') || ' ' || coalesce(request_id, '-')
                  FROM audit_log WHERE table_name = 'student_sessions' AND operation = 'INSERT'""").mapTo(String.class).list());
        assertThat(audit).containsExactly(joined.sessionId() + " - req-join");
    }

    @Test
    void unknownMalformedAndInactiveCodesAreToldApart() {
        Classroom room = room(30);
        assertThatThrownBy(() -> students.join("ABCD-EFGH", TEN, SCHOOL, null)).isInstanceOf(UnknownJoinCodeException.class);
        assertThatThrownBy(() -> students.join("ABCD-EFG", TEN, SCHOOL, null)).isInstanceOf(MalformedJoinCodeException.class);
        assertThatThrownBy(() -> students.join("ABCD-EFGHJ", TEN, SCHOOL, null)).isInstanceOf(MalformedJoinCodeException.class);
        assertThatThrownBy(() -> students.join("ABCD-EFG0", TEN, SCHOOL, null)).isInstanceOf(MalformedJoinCodeException.class);

        classrooms.update(teacher, room.id(), new ClassroomChanges(null, null, null, false, null));
        assertThatThrownBy(() -> students.join(room.classroomCode(), TEN, SCHOOL, null)).isInstanceOf(InactiveJoinCodeException.class);
        classrooms.update(teacher, room.id(), new ClassroomChanges(null, null, null, true,
                java.util.Optional.of(DatabaseClock.now(app).minusSeconds(1))));
        assertThatThrownBy(() -> students.join(room.classroomCode(), TEN, SCHOOL, null)).isInstanceOf(InactiveJoinCodeException.class);
        classrooms.update(teacher, room.id(), new ClassroomChanges(null, null, null, null, java.util.Optional.empty()));
        assertThat(students.join(room.classroomCode(), TEN, SCHOOL, null).token()).hasSize(43);
        classrooms.archive(teacher, room.id());
        assertThatThrownBy(() -> students.join(room.classroomCode(), TEN, SCHOOL, null)).isInstanceOf(InactiveJoinCodeException.class);
    }

    @Test
    void guessingIsThrottledPerAddressWithOneIncidentAndAWholeClassIsNever() throws InterruptedException {
        Classroom room = room(30);
        awayFromAWindowsEnd();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> students.join("ZZZZ-ZZZZ", TEN, GUESSER, null)).isInstanceOf(UnknownJoinCodeException.class);
        }
        assertThatThrownBy(() -> students.join(room.classroomCode(), TEN, GUESSER, null))
                .as("a throttled address cannot use its next guess, even a right one")
                .isInstanceOf(ThrottledException.class)
                .satisfies(e -> assertThat(((ThrottledException) e).retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(10)));
        assertThatThrownBy(() -> students.join("ZZZZ-ZZZY", TEN, GUESSER, null)).isInstanceOf(ThrottledException.class);
        assertThat(incidents()).isEqualTo(1);

        // the school's whole class, from one address, with the right code: 30 joins, none slowed
        for (int i = 0; i < 30; i++) {
            students.join(room.classroomCode(), TEN, SCHOOL, null);
        }
        DatabaseClock.backdate(ownerLogin, "join_failures", Duration.ofMinutes(10), "true"); // the next window
        assertThatThrownBy(() -> students.join("ZZZZ-ZZZX", TEN, GUESSER, null)).isInstanceOf(UnknownJoinCodeException.class);
        assertThat(incidents()).isEqualTo(1);
    }

    @Test
    void addressesAreKeptOnlyAsSaltedHashesAndForgottenWithinADay() throws Exception {
        awayFromAWindowsEnd(); // and from midnight, when the salt changes
        assertThatThrownBy(() -> students.join("ZZZZ-ZZZZ", TEN, GUESSER, null)).isInstanceOf(UnknownJoinCodeException.class);
        String everything = owner.withHandle(h -> h.createQuery("""
                SELECT string_agg(f::text, ' ') || (SELECT string_agg(i::text, ' ') FROM security_incidents i)
                  FROM join_failures f""").mapTo(String.class).findOne().orElse(""));
        assertThat(everything).doesNotContain("203.0.113.99");
        byte[] bare = java.security.MessageDigest.getInstance("SHA-256").digest("203.0.113.99".getBytes());
        assertThat(count("SELECT count(*) FROM join_failures WHERE address_hash = '\\x" + java.util.HexFormat.of().formatHex(bare) + "'"))
                .as("salted, not a bare SHA-256").isZero();

        Job purge = StandardJobs.purgeJoinThrottle(Fixtures.transactions(app));
        assertThat(purge.run().detail()).contains("0 join failures", "0 address salts");
        // 25 hours later on the database's clock: the failure's window and the salt's day are past
        DatabaseClock.backdate(ownerLogin, "join_failures", Duration.ofHours(25), "true");
        owner.useHandle(h -> h.execute("UPDATE join_throttle_salts SET day = day - 1"));
        assertThat(purge.run().detail()).contains("1 join failures", "1 address salts");
        assertThat(count("SELECT (SELECT count(*) FROM join_failures) + (SELECT count(*) FROM join_throttle_salts)")).isZero();
    }

    @Test
    void theApplicationRoleCannotReadTheThrottleTables() {
        assertThatThrownBy(() -> Jdbi.create(app).withHandle(h -> h.createQuery("SELECT count(*) FROM join_failures").mapTo(Integer.class).one()))
                .has(sqlState(SqlStates.INSUFFICIENT_PRIVILEGE));
    }

    @Test
    void aTokenStopsWorkingWhenItsSessionEndsOrExpiresAndLastSeenMovesOncePerMinute() {
        Classroom room = room(30);
        JoinedStudent joined = students.join(room.classroomCode(), TEN, SCHOOL, null);

        DatabaseClock.backdate(ownerLogin, "student_sessions", Duration.ofSeconds(30), "id = ?", joined.sessionId());
        Instant seen = lastSeen(joined);
        students.authenticate(joined.token(), null);
        assertThat(lastSeen(joined)).as("seen 30 s ago: not written again").isEqualTo(seen);
        DatabaseClock.backdate(ownerLogin, "student_sessions", Duration.ofSeconds(45), "id = ?", joined.sessionId());
        Instant beforeAuthentication = DatabaseClock.now(app);
        students.authenticate(joined.token(), null);
        assertThat(lastSeen(joined)).as("seen 75 s ago: moved to now").isAfterOrEqualTo(beforeAuthentication);

        DatabaseClock.backdate(ownerLogin, "student_sessions", Duration.ofHours(8), "id = ?", joined.sessionId());
        assertThatThrownBy(() -> students.authenticate(joined.token(), null)).as("8 hours later").isInstanceOf(InvalidTokenException.class);
        assertThat(classrooms.endStudentSession(teacher, room.id(), joined.sessionId())).as("an expired session cannot be ended").isFalse();

        JoinedStudent next = students.join(room.classroomCode(), TEN, SCHOOL, null);
        students.authenticate(next.token(), null);
        assertThat(classrooms.endStudentSession(teacher, room.id(), next.sessionId())).isTrue();
        assertThatThrownBy(() -> students.authenticate(next.token(), null)).isInstanceOf(InvalidTokenException.class);
        for (String garbage : new String[] {"", "x", "eyJhbGciOiJIUzI1NiJ9.e30.sig", "A".repeat(43), "é".repeat(43)}) {
            assertThatThrownBy(() -> students.authenticate(garbage, null)).as(garbage).isInstanceOf(InvalidTokenException.class);
        }
    }

    /**
     * Join throttling counts in fixed 10-minute windows of the database's clock, and salts addresses
     * per UTC day (a day's end is also a window's): the steps of a throttle test must fall in one.
     */
    private void awayFromAWindowsEnd() throws InterruptedException {
        DatabaseClock.awayFromWindowEnd(app, Duration.ofMinutes(10), Duration.ofSeconds(20));
    }

    private Instant lastSeen(JoinedStudent joined) {
        return owner.withHandle(h -> h.createQuery("SELECT last_seen_at FROM student_sessions WHERE id = :id")
                .bind("id", joined.sessionId()).mapTo(Instant.class).one());
    }

    private int incidents() {
        return count("SELECT count(*) FROM security_incidents WHERE incident_type = 'join_code_guessing'");
    }

    private int count(String sql) {
        return owner.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
