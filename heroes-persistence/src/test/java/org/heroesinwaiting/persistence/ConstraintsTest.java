package org.heroesinwaiting.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every CHECK refuses what it must, whoever writes (these run as the owner, which bypasses RLS, not checks). */
class ConstraintsTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create().perClass();

    private static Tenants tenants;
    private static Jdbi owner;

    @BeforeAll
    static void seed(@Owner Jdbi ownerJdbi) {
        owner = ownerJdbi;
        tenants = new Tenants(ownerJdbi);
    }

    private static void refused(String sql) {
        assertThatThrownBy(() -> owner.useTransaction(handle -> handle.configure(SqlStatements.class,
                        statements -> statements.setUnusedBindingAllowed(true)).createUpdate(sql)
                        .bind("f", tenants.a.facilitator()).bind("c", tenants.a.classroom()).bind("s", tenants.a.studentSession())
                        .bind("l", tenants.lesson).execute()))
                .hasRootCauseInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) rootCause(e)).getSQLState()).isEqualTo("23514"));
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @ParameterizedTest(name = "grade {0}")
    @CsvSource({"3", "7"})
    void aGradeOutsideFourToSixIsRefused(int grade) {
        refused("INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level) VALUES (:f, 'x', 'GGGGHHHH', " + grade + ")");
    }

    @ParameterizedTest(name = "lesson {0}")
    @CsvSource({"0", "13"})
    void aLessonOutsideOneToTwelveIsRefused(int number) {
        refused("INSERT INTO lessons (lesson_number, title) VALUES (" + number + ", 'x')");
    }

    @Test
    void thirtyOneSeatsAreRefused() {
        refused("INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level, max_students) VALUES (:f, 'x', 'JJJJKKKK', 5, 31)");
    }

    @ParameterizedTest(name = "code {0}")
    @CsvSource({"abcdefgh", "ABCDEFGI", "ABCDEFGO", "ABCDEFG0", "ABCDEFG1", "ABCDEFGL", "ABCDEFG", "ABCDEFGHJ", "ABCD-EFG"})
    void aCodeOfLowerCaseAmbiguousOrWrongLengthCharactersIsRefused(String code) {
        refused("INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level) VALUES (:f, 'x', '" + code + "', 5)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"age_range\": \"10-11\", \"grade_level\": 5, \"name\": \"Sam\"}",
        "{\"age_range\": \"10-11\", \"grade_level\": 5, \"email\": \"sam@example.org\"}",
        "{\"age_range\": \"10-11\"}",
        "{\"age_range\": \"14-15\", \"grade_level\": 5}",
        "{\"age_range\": \"10-11\", \"grade_level\": 7}",
        "{\"age_range\": \"10-11\", \"grade_level\": \"5\"}",
        "[\"10-11\", 5]",
    })
    void demographicsHoldOnlyAnAgeRangeAndAGrade(String demographics) {
        refused("INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, expires_at) "
                + "VALUES (:c, sha256('x'::bytea), '" + demographics + "', now() + interval '1 hour')");
    }

    @Test
    void aRatingOfSixIsRefused() {
        refused("INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, rating, mood, idempotency_key) "
                + "VALUES (:s, :c, :l, 6, 'calm', 'r-6')");
    }

    @Test
    void aMoodOutsideTheFixedSetIsRefused() {
        refused("INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, rating, mood, idempotency_key) "
                + "VALUES (:s, :c, :l, 3, 'furious', 'm-1')");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"q1\": \"I get pushed at lunch by Jamie\"}",
        "{\"q1\": \"Often\"}",
        "{\"how do you feel\": \"often\"}",
        "{\"q1\": 3}",
        "{\"q1\": [\"often\"]}",
    })
    void feedbackAnswersAreOptionKeysNeverFreeText(String answers) {
        refused("INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, rating, mood, answers, idempotency_key) "
                + "VALUES (:s, :c, :l, 3, 'calm', '" + answers.replace("'", "''") + "', 'free-1')");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Teacher@School.example", "not-an-email", "two@@signs.example"})
    void emailsAreStoredLowerCasedAndWellFormed(String email) {
        refused("INSERT INTO facilitators (email, password_hash, display_name) VALUES ('" + email
                + "', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'x')");
    }

    @Test
    void theGuidesIncidentInsertWorksVerbatimAndAWrongSeverityDoesNot() {
        int inserted = owner.withHandle(handle -> handle.createUpdate(
                "INSERT INTO security_incidents (incident_type, severity, description, ip_address) "
                        + "VALUES ('failed_login', 'medium', 'Multiple failed login attempts', '192.168.1.100')").execute());

        assertThat(inserted).isEqualTo(1);
        refused("INSERT INTO security_incidents (incident_type, severity, description) VALUES ('failed_login', 'urgent', 'x')");
    }

    @Test
    void theValidCounterpartsAreAccepted() {
        int rows = owner.inTransaction(handle -> handle.createUpdate("""
                INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, rating, mood, answers, idempotency_key)
                VALUES (:s, :c, :l, 5, 'happy', '{"q1": "often", "q-2": "never"}', 'ok-1')""")
                .bind("s", tenants.a.studentSession()).bind("c", tenants.a.classroom()).bind("l", tenants.lesson).execute());

        assertThat(rows).isEqualTo(1);
    }
}
