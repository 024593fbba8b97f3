package org.heroesinwaiting.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.heroesinwaiting.persistence.SqlStateCondition.sqlState;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuditTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final String LAST = """
            SELECT operation, changed_columns::text AS changed, old_values::text AS old_values, new_values::text AS new_values,
                   actor_role, facilitator_id::text AS facilitator, student_session_id::text AS student,
                   database_role, request_id, host(client_ip) AS ip, row_key ->> 'id' AS row_id
              FROM audit_log WHERE table_name = :table ORDER BY id DESC LIMIT 1""";

    private static Map<String, Object> last(Jdbi owner, String table) {
        return owner.withHandle(handle -> handle.createQuery(LAST).bind("table", table).mapToMap().one());
    }

    @Test
    void theActorComesFromTheContextAndOnlyChangedColumnsAreKept(@Owner Jdbi owner, DataSource app) throws Exception {
        Tenants tenants = new Tenants(owner);
        TransactionRunner transactions = Fixtures.transactions(app);
        ActorContext actor = ActorContext.facilitator(tenants.a.facilitator(), "req-77", InetAddress.getByName("203.0.113.9"));

        transactions.useTransaction(actor, handle -> handle.createUpdate("UPDATE classrooms SET name = 'Room 5B' WHERE id = :c")
                .bind("c", tenants.a.classroom()).execute());

        Map<String, Object> record = last(owner, "classrooms");
        assertThat(record).containsEntry("operation", "UPDATE")
                .containsEntry("changed", "{name,updated_at}")
                .containsEntry("actor_role", "facilitator")
                .containsEntry("facilitator", tenants.a.facilitator().toString())
                .containsEntry("database_role", "heroes_app")
                .containsEntry("request_id", "req-77")
                .containsEntry("ip", "203.0.113.9")
                .containsEntry("row_id", tenants.a.classroom().toString());
        assertThat((String) record.get("old_values")).contains("\"name\": \"Class a\"").doesNotContain("grade_level");
        assertThat((String) record.get("new_values")).contains("\"name\": \"Room 5B\"");
    }

    @Test
    void secretsAreRedacted(@Owner Jdbi owner, DataSource app) {
        Tenants tenants = new Tenants(owner);
        TransactionRunner transactions = Fixtures.transactions(app);

        transactions.useTransaction(ActorContext.facilitator(tenants.a.facilitator(), null, null), handle -> handle.createUpdate(
                "UPDATE facilitators SET password_hash = '$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3aGFzaA' WHERE id = :f")
                .bind("f", tenants.a.facilitator()).execute());

        Map<String, Object> record = last(owner, "facilitators");
        assertThat(record.get("changed").toString()).contains("password_hash");
        assertThat((String) record.get("old_values")).contains("\"password_hash\": \"[redacted]\"").doesNotContain("argon2id");
        assertThat((String) record.get("new_values")).contains("\"password_hash\": \"[redacted]\"").doesNotContain("argon2id");
        Map<String, Object> session = last(owner, "facilitator_sessions");
        assertThat((String) session.get("new_values")).contains("\"token_hash\": \"[redacted]\"");
    }

    @Test
    void aStudentSessionIsAuditedByKeysOnlyAndNeverWithAnAddress(@Owner Jdbi owner, DataSource app) {
        Tenants tenants = new Tenants(owner);
        TransactionRunner transactions = Fixtures.transactions(app);

        transactions.useTransaction(ActorContext.student(tenants.a.studentSession(), "req-s"), handle -> handle.createUpdate(
                "UPDATE student_sessions SET last_seen_at = now() + interval '1 minute' WHERE id = :s")
                .bind("s", tenants.a.studentSession()).execute());

        Map<String, Object> record = last(owner, "student_sessions");
        assertThat(record).containsEntry("changed", "{last_seen_at}").containsEntry("actor_role", "student")
                .containsEntry("student", tenants.a.studentSession().toString())
                .containsEntry("old_values", null).containsEntry("new_values", null).containsEntry("ip", null);
        List<String> inserted = owner.withHandle(handle -> handle.createQuery(
                "SELECT coalesce(new_values::text, 'none') FROM audit_log WHERE table_name = 'student_sessions' AND operation = 'INSERT'")
                .mapTo(String.class).list());
        assertThat(inserted).isNotEmpty().containsOnly("none");
    }

    @Test
    void aDeleteOfManyRowsRecordsEachRowOnceWithTheActorAndItsSecretsRedacted(@Owner Jdbi owner) {
        Tenants tenants = new Tenants(owner);
        List<String> sessions = owner.withHandle(handle -> handle.createQuery("""
                INSERT INTO facilitator_sessions (facilitator_id, token_hash, expires_at)
                SELECT :f, sha256(convert_to('extra-' || n, 'UTF8')), now() + interval '1 day' FROM generate_series(1, 3) n
                RETURNING id::text""").bind("f", tenants.a.facilitator()).mapTo(String.class).list());
        long before = owner.withHandle(handle -> handle.createQuery("SELECT count(*) FROM audit_log").mapTo(Long.class).one());

        owner.useTransaction(handle -> {
            handle.execute("SELECT set_config('app.role', 'admin', true), set_config('app.request_id', 'req-del', true)");
            handle.createUpdate("DELETE FROM facilitator_sessions WHERE id = ANY (CAST(:ids AS uuid[]))")
                    .bind("ids", sessions.toArray(String[]::new)).execute();
        });

        List<Map<String, Object>> deleted = owner.withHandle(handle -> handle.createQuery("""
                SELECT row_key ->> 'id' AS row_id, operation, actor_role, request_id, changed_columns::text AS changed,
                       old_values ->> 'token_hash' AS token, old_values ->> 'facilitator_id' AS facilitator, new_values::text AS new_values
                  FROM audit_log WHERE table_name = 'facilitator_sessions' AND operation = 'DELETE'""").mapToMap().list());
        assertThat(deleted).extracting(row -> row.get("row_id")).containsExactlyInAnyOrderElementsOf(sessions);
        assertThat(deleted).allSatisfy(row -> assertThat(row).containsEntry("actor_role", "admin").containsEntry("request_id", "req-del")
                .containsEntry("token", "[redacted]").containsEntry("facilitator", tenants.a.facilitator().toString())
                .containsEntry("new_values", null));
        assertThat((String) deleted.get(0).get("changed")).contains("token_hash", "expires_at");
        long after = owner.withHandle(handle -> handle.createQuery("SELECT count(*) FROM audit_log").mapTo(Long.class).one());
        assertThat(after - before).isEqualTo(3);
    }

    @Test
    void aDeletedStudentSessionIsRecordedByItsKeyAlone(@Owner Jdbi owner) {
        Tenants tenants = new Tenants(owner);
        String student = owner.withHandle(handle -> handle.createQuery("""
                INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, expires_at)
                VALUES (:c, sha256('gone'::bytea), '{"age_range": "10-11", "grade_level": 5}', now() + interval '8 hours')
                RETURNING id::text""").bind("c", tenants.a.classroom()).mapTo(String.class).one());

        owner.useHandle(handle -> handle.createUpdate("DELETE FROM student_sessions WHERE id = CAST(:s AS uuid)").bind("s", student).execute());

        Map<String, Object> record = last(owner, "student_sessions");
        assertThat(record).containsEntry("operation", "DELETE").containsEntry("row_id", student)
                .containsEntry("old_values", null).containsEntry("new_values", null);
        assertThat((String) record.get("changed")).contains("demographic_data");
    }

    @Test
    void everyAuditedTableRecordsDeletesByStatementAndTheRestByRow(@Owner Jdbi owner) {
        List<String> triggers = owner.withHandle(handle -> handle.createQuery("""
                SELECT format('%s %s %s', t.tgrelid::regclass, t.tgname, p.proname) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                 WHERE p.proname IN ('audit_row', 'audit_deletes') AND NOT t.tgisinternal
                   AND CASE p.proname WHEN 'audit_row' THEN (t.tgtype & 8) <> 0 OR (t.tgtype & 1) = 0
                                      ELSE (t.tgtype & 8) = 0 OR (t.tgtype & 1) <> 0 END""").mapTo(String.class).list());
        assertThat(triggers).as("row triggers that fire on DELETE, or statement triggers that do not").isEmpty();
        List<String> audited = owner.withHandle(handle -> handle.createQuery("""
                SELECT t.tgrelid::regclass::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                 WHERE p.proname = 'audit_row' AND NOT t.tgisinternal
                EXCEPT
                SELECT t.tgrelid::regclass::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                 WHERE p.proname = 'audit_deletes' AND NOT t.tgisinternal""").mapTo(String.class).list());
        assertThat(audited).as("audited tables whose deletes go unrecorded").isEmpty();
    }

    @Test
    void aChangeWithoutContextIsTheSystemsAndAnUpdateThatChangesNothingIsNotRecorded(@Owner Jdbi owner) {
        Tenants tenants = new Tenants(owner);
        long before = owner.withHandle(handle -> handle.createQuery("SELECT count(*) FROM audit_log").mapTo(Long.class).one());

        owner.useHandle(handle -> handle.createUpdate("UPDATE lessons SET title = title WHERE id = :l").bind("l", tenants.lesson).execute());
        owner.useHandle(handle -> handle.createUpdate("UPDATE lessons SET duration_minutes = 50 WHERE id = :l").bind("l", tenants.lesson).execute());

        long after = owner.withHandle(handle -> handle.createQuery("SELECT count(*) FROM audit_log").mapTo(Long.class).one());
        assertThat(after - before).isEqualTo(1);
        assertThat(last(owner, "lessons")).containsEntry("actor_role", "system").containsEntry("database_role", "heroes_owner");
    }

    @Test
    void theApplicationCanNeitherChangeNorRemoveTheTrail(@Owner Jdbi owner, DataSource app) {
        new Tenants(owner);
        Jdbi appJdbi = HeroesJdbi.create(app);

        assertThatThrownBy(() -> appJdbi.useHandle(handle -> handle.execute("UPDATE audit_log SET actor_role = 'nobody'")))
                .has(sqlState(SqlStates.INSUFFICIENT_PRIVILEGE));
        assertThatThrownBy(() -> appJdbi.useHandle(handle -> handle.execute("DELETE FROM audit_log")))
                .has(sqlState(SqlStates.INSUFFICIENT_PRIVILEGE));
        assertThatThrownBy(() -> appJdbi.useHandle(handle -> handle.execute(
                "INSERT INTO audit_log (table_name, operation, row_key, changed_columns, actor_role, database_role, transaction_id) "
                        + "VALUES ('x', 'INSERT', '{}', '{}', 'admin', 'x', 1)")))
                .has(sqlState(SqlStates.INSUFFICIENT_PRIVILEGE));
        long visibleWithoutAdmin = appJdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM audit_log").mapTo(Long.class).one());
        assertThat(visibleWithoutAdmin).isZero();
    }

    @Test
    void partitionsExistAheadSoWritesAlwaysFindTheirMonth(@Owner Jdbi owner, DataSource app) {
        List<String> partitions = owner.withHandle(handle -> handle.createQuery("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'audit_log'::regclass ORDER BY 1""").mapTo(String.class).list());
        List<String> expected = owner.withHandle(handle -> handle.createQuery("""
                SELECT to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => m), '"audit_log_y"YYYY"m"MM')
                  FROM generate_series(0, 3) m ORDER BY 1""").mapTo(String.class).list());
        assertThat(partitions).containsAll(expected);

        // a write past every partition made ahead waits in the default partition instead of failing
        String farFuture = "INSERT INTO audit_log (occurred_at, table_name, operation, row_key, changed_columns, actor_role, "
                + "database_role, transaction_id) VALUES (now() + interval '5 years', 't', 'INSERT', '{}', '{}', 'system', 'x', 1)";
        owner.useHandle(handle -> handle.execute(farFuture));
        String rowsWaiting = "SELECT count(*) FROM audit_log_default";
        int waiting = owner.withHandle(handle -> handle.createQuery(rowsWaiting).mapTo(Integer.class).one());
        assertThat(waiting).isEqualTo(1);

        String upkeep = "SELECT app.ensure_audit_partitions(2, now() + interval '5 years' - interval '1 month')";
        int created = HeroesJdbi.create(app).withHandle(handle -> handle.createQuery(upkeep).mapTo(Integer.class).one());
        int again = HeroesJdbi.create(app).withHandle(handle -> handle.createQuery(upkeep).mapTo(Integer.class).one());

        assertThat(created).isEqualTo(3);
        assertThat(again).isZero();
        int left = owner.withHandle(handle -> handle.createQuery(rowsWaiting).mapTo(Integer.class).one());
        assertThat(left).as("moved out").isZero();
        String partitionOwner = owner.withHandle(handle -> handle.createQuery("""
                SELECT pg_get_userbyid(relowner) FROM pg_class
                 WHERE relname = to_char((now() + interval '5 years') AT TIME ZONE 'UTC', '"audit_log_y"YYYY"m"MM')""")
                .mapTo(String.class).one());
        assertThat(partitionOwner).isEqualTo("heroes_owner");
    }

}
