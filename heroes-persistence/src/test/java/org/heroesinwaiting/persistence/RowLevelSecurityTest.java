package org.heroesinwaiting.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.heroesinwaiting.persistence.SqlStateCondition.sqlState;

import java.util.UUID;
import org.heroesinwaiting.core.NotPermittedException;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every tenant table, as heroes_app (RLS applies), with two facilitators' data side by side. */
class RowLevelSecurityTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create().perClass();

    private static Tenants tenants;
    private static TransactionRunner app;
    private static Jdbi appJdbi;
    private static Jdbi ownerJdbi;

    @BeforeAll
    static void seed(@Owner Jdbi owner, javax.sql.DataSource appDataSource) {
        tenants = new Tenants(owner);
        ownerJdbi = owner;
        appJdbi = HeroesJdbi.create(appDataSource);
        app = new TransactionRunner(appJdbi);
    }

    static Iterable<String> tenantTables() {
        return Tenants.TENANT_TABLES.keySet();
    }

    private static long count(Handle handle, String table, UUID key) {
        return handle.createQuery("SELECT count(*) FROM " + table + " WHERE " + Tenants.TENANT_TABLES.get(table) + " = :key")
                .bind("key", key).mapTo(Long.class).one();
    }

    private static ActorContext actorA() {
        return ActorContext.facilitator(tenants.a.facilitator(), "req-a", null);
    }

    @ParameterizedTest
    @MethodSource("tenantTables")
    void aFacilitatorSeesTheirOwnRowAndNotTheOthers(String table) {
        app.useTransaction(actorA(), handle -> {
            assertThat(count(handle, table, tenants.a.key(table))).isEqualTo(1);
            assertThat(count(handle, table, tenants.b.key(table))).isZero();
        });
    }

    @ParameterizedTest
    @MethodSource("tenantTables")
    void aFacilitatorCannotUpdateOrDeleteTheOthersRowsAndGetsZeroRowsNotAnError(String table) {
        String key = Tenants.TENANT_TABLES.get(table);
        int updated = app.inTransaction(actorA(), handle ->
                handle.createUpdate("UPDATE " + table + " SET " + key + " = " + key + " WHERE " + key + " = :key")
                        .bind("key", tenants.b.key(table)).execute());
        int deleted = app.inTransaction(actorA(), handle ->
                handle.createUpdate("DELETE FROM " + table + " WHERE " + key + " = :key").bind("key", tenants.b.key(table)).execute());

        assertThat(updated).isZero();
        assertThat(deleted).isZero();
        long stillThere = ownerJdbi.withHandle(handle -> count(handle, table, tenants.b.key(table)));
        assertThat(stillThere).as("B's row is still there").isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("tenantTables")
    void noContextSeesNoTenantRow(String table) {
        long visible = appJdbi.inTransaction(handle -> handle.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());

        long seenByOwner = ownerJdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
        assertThat(visible).isZero();
        assertThat(seenByOwner).as("the owner (control) sees both tenants").isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("tenantTables")
    void aContextLeftByAnEarlierTransactionOnTheSameConnectionIsGone(String table) {
        try (Handle handle = appJdbi.open()) {
            handle.inTransaction(h -> h.createQuery("SELECT app.set_context(:f, NULL, 'facilitator', 'earlier', NULL)")
                    .bind("f", tenants.a.facilitator()).mapTo(String.class).findOne());
            long later = handle.inTransaction(h -> count(h, table, tenants.a.key(table)));

            assertThat(later).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("tenantTables")
    void anAdminSeesEveryTenant(String table) {
        app.useTransaction(ActorContext.admin(tenants.a.facilitator(), null, null), handle -> {
            assertThat(count(handle, table, tenants.a.key(table))).isEqualTo(1);
            assertThat(count(handle, table, tenants.b.key(table))).isEqualTo(1);
        });
    }

    @Test
    void aStudentSeesItselfItsClassroomAndItsOwnRowsOnly() {
        app.useTransaction(ActorContext.student(tenants.a.studentSession(), null), handle -> {
            assertThat(count(handle, "student_sessions", tenants.a.studentSession())).isEqualTo(1);
            assertThat(count(handle, "student_sessions", tenants.b.studentSession())).isZero();
            assertThat(count(handle, "classrooms", tenants.a.classroom())).isEqualTo(1);
            assertThat(count(handle, "classrooms", tenants.b.classroom())).isZero();
            assertThat(count(handle, "student_progress", tenants.a.key("student_progress"))).isEqualTo(1);
            assertThat(count(handle, "student_feedback", tenants.b.key("student_feedback"))).isZero();
            assertThat(count(handle, "facilitators", tenants.a.facilitator())).as("not even its own teacher").isZero();
            assertThat(count(handle, "classroom_sessions", tenants.a.key("classroom_sessions"))).isEqualTo(1);
        });
    }

    @Test
    void aStudentWritesItsOwnProgressButNeverIntoAnotherClassroom() {
        ActorContext student = ActorContext.student(tenants.a.studentSession(), null);
        String insert = """
                INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at, idempotency_key)
                VALUES (:s, :c, :l, :content, 'started', now(), :key)""";

        int own = app.inTransaction(student, handle -> handle.createUpdate(insert).bind("s", tenants.a.studentSession())
                .bind("c", tenants.a.classroom()).bind("l", tenants.lesson).bind("content", tenants.content).bind("key", "own-1").execute());
        assertThat(own).isEqualTo(1);
        assertThatThrownBy(() -> app.useTransaction(student, handle -> handle.createUpdate(insert)
                .bind("s", tenants.b.studentSession()).bind("c", tenants.b.classroom()).bind("l", tenants.lesson)
                .bind("content", tenants.content).bind("key", "theirs-1").execute()))
                .isInstanceOf(NotPermittedException.class).has(sqlState(SqlStates.INSUFFICIENT_PRIVILEGE));
        assertThatThrownBy(() -> app.useTransaction(student, handle -> handle.createUpdate(insert)
                .bind("s", tenants.a.studentSession()).bind("c", tenants.b.classroom()).bind("l", tenants.lesson)
                .bind("content", tenants.content).bind("key", "cross-1").execute()))
                .isInstanceOf(NotPermittedException.class).has(sqlState(SqlStates.INSUFFICIENT_PRIVILEGE));
    }

    @Test
    void aStudentDeletesNothingNotEvenItsOwnRows() {
        ActorContext student = ActorContext.student(tenants.a.studentSession(), null);

        int deleted = app.inTransaction(student, handle ->
                handle.createUpdate("DELETE FROM student_progress WHERE student_session_id = :s").bind("s", tenants.a.studentSession()).execute()
                + handle.createUpdate("DELETE FROM student_sessions WHERE id = :s").bind("s", tenants.a.studentSession()).execute());

        assertThat(deleted).isZero();
    }

    @Test
    void aFacilitatorCannotCreateAClassroomForAnotherFacilitator() {
        assertThatThrownBy(() -> app.useTransaction(actorA(), handle -> handle.createUpdate("""
                INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level) VALUES (:f, 'Stolen', 'EEEEFFFF', 4)""")
                .bind("f", tenants.b.facilitator()).execute()))
                .isInstanceOf(NotPermittedException.class).has(sqlState(SqlStates.INSUFFICIENT_PRIVILEGE));
    }

    @Test
    void theCurriculumIsReadableByAnyoneAndWrittenOnlyByAnAdmin() {
        long asStudent = app.inTransaction(ActorContext.student(tenants.a.studentSession(), null),
                handle -> handle.createQuery("SELECT count(*) FROM lesson_content").mapTo(Long.class).one());
        int asFacilitator = app.inTransaction(actorA(),
                handle -> handle.createUpdate("UPDATE lessons SET title = 'Changed' WHERE id = :l").bind("l", tenants.lesson).execute());

        assertThat(asStudent).isEqualTo(1);
        assertThat(asFacilitator).isZero();
    }

    @Test
    void reportingReadsAllRowsButNoSecretColumn(org.heroesinwaiting.testkit.TestDatabase database) {
        Jdbi readonly = database.jdbi(org.heroesinwaiting.testkit.DatabaseLogin.READONLY);

        long facilitators = readonly.withHandle(handle -> handle.createQuery("SELECT count(email) FROM facilitators").mapTo(Long.class).one());

        assertThat(facilitators).isGreaterThanOrEqualTo(2);
        assertThatThrownBy(() -> readonly.withHandle(handle -> handle.createQuery("SELECT password_hash FROM facilitators").mapToMap().list()))
                .has(sqlState(SqlStates.INSUFFICIENT_PRIVILEGE));
        assertThatThrownBy(() -> readonly.withHandle(handle -> handle.createQuery("SELECT token_hash FROM facilitator_sessions").mapToMap().list()))
                .has(sqlState(SqlStates.INSUFFICIENT_PRIVILEGE));
        assertThatThrownBy(() -> readonly.withHandle(handle -> handle.createQuery("SELECT session_token_hash FROM student_sessions").mapToMap().list()))
                .has(sqlState(SqlStates.INSUFFICIENT_PRIVILEGE));
    }
}
