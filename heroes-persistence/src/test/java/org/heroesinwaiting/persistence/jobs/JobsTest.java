package org.heroesinwaiting.persistence.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.persistence.Fixtures;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The jobs' database work, run as the application (as the scheduler runs them). */
class JobsTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    @Test
    void expireSessionsEndsOnlyTheSessionsPastTheirEnd(@Owner Jdbi owner, DataSource app) {
        // dated on the database's clock, which decides what is due
        Map<String, UUID> ids = owner.inTransaction(handle -> {
            UUID facilitator = handle.createQuery("""
                    INSERT INTO facilitators (email, password_hash, display_name)
                    VALUES ('t@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'T') RETURNING id""")
                    .mapTo(UUID.class).one();
            UUID classroom = handle.createQuery("""
                    INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level) VALUES (:f, 'C', 'MMMMNNNN', 4) RETURNING id""")
                    .bind("f", facilitator).mapTo(UUID.class).one();
            return Map.of(
                    "oldAdult", session(handle, facilitator, "old", "-31 days", "-1 day"),
                    "liveAdult", session(handle, facilitator, "live", "-12 days", "18 days"),
                    "oldChild", student(handle, classroom, "c-old", "-9 hours", "-1 hour"),
                    "liveChild", student(handle, classroom, "c-live", "-1 hour", "7 hours"));
        });
        assertThat(one(owner, "SELECT string_agg(kind || ' ' || expired, ', ') FROM app.expire_sessions(now() - interval '2 days')",
                String.class)).as("as of two days ago, nothing had expired yet")
                .isEqualTo("facilitator sessions 0, student sessions 0");

        JobOutcome outcome = StandardJobs.expireSessions(transactions(app)).run();

        assertThat(outcome.detail()).isEqualTo("expired 1 facilitator sessions, 1 student sessions");
        assertThat(single(owner, "SELECT revoke_reason FROM facilitator_sessions WHERE id = :id", ids.get("oldAdult")))
                .isEqualTo("expired");
        assertThat(single(owner, "SELECT (revoked_at IS NULL)::text FROM facilitator_sessions WHERE id = :id", ids.get("liveAdult")))
                .isEqualTo("true");
        assertThat(single(owner, "SELECT (ended_at = expires_at)::text FROM student_sessions WHERE id = :id", ids.get("oldChild")))
                .isEqualTo("true");
        assertThat(single(owner, "SELECT (ended_at IS NULL)::text FROM student_sessions WHERE id = :id", ids.get("liveChild")))
                .isEqualTo("true");
        assertThat(StandardJobs.expireSessions(transactions(app)).run().detail())
                .as("a second run finds nothing left").isEqualTo("expired 0 facilitator sessions, 0 student sessions");
    }

    @Test
    void aJobFunctionRefusesAMomentLaterThanTheDatabasesNow(DataSource app) {
        for (String call : new String[] {"app.expire_sessions(now() + interval '1 second')", "app.purge_join_throttle(now() + interval '1 day')"}) {
            assertThatThrownBy(() -> Jdbi.create(app).withHandle(handle -> handle.createQuery("SELECT count(*) FROM " + call)
                    .mapTo(Long.class).one()))
                    .as(call).hasMessageContaining("as_of must not be later than now()");
        }
    }

    @Test
    void auditPartitionsCoverThisMonthAndTheNextThreeAndNothingTwice(DataSource app, @Owner Jdbi owner) {
        new AuditPartitionsJob(transactions(app)).run();
        JobOutcome again = new AuditPartitionsJob(transactions(app)).run();

        assertThat(again.detail()).isEqualTo("every partition through 3 months ahead exists");
        assertThat(one(owner, """
                SELECT count(*) FROM generate_series(0, 3) AS i
                 WHERE to_regclass(to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i),
                                           '"audit_log_y"YYYY"m"MM')) IS NOT NULL""", Long.class))
                .as("this month's and the next three, by the database's clock").isEqualTo(4);
        assertThat(one(owner, "SELECT app.ensure_audit_partitions(3, now() + interval '400 days')", Integer.class)).isEqualTo(4);
        assertThat(one(owner, "SELECT app.ensure_audit_partitions(3, now() + interval '400 days')", Integer.class)).isZero();
    }

    @Test
    void theUpkeepSealsAClosedMonthWithItsRowsCountedAndLeavesTheOpenOnesWritable(DataSource app, @Owner Jdbi owner) {
        String closed = one(owner, "SELECT to_char((now() - interval '2 months') AT TIME ZONE 'UTC', '\"audit_log_y\"YYYY\"m\"MM')", String.class);
        owner.useHandle(handle -> handle.execute("SELECT app.ensure_audit_partitions(0, now() - interval '2 months')"));
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO audit_log (occurred_at, table_name, operation, row_key, changed_columns, actor_role, database_role, transaction_id)
                SELECT now() - interval '2 months', 'facilitators', 'UPDATE', '{}', '{}', 'system', current_user, txid_current()
                  FROM generate_series(1, 3)"""));

        JobOutcome outcome = new AuditPartitionsJob(transactions(app)).run();

        assertThat(outcome.detail()).matches(".*; sealed [1-9][0-9]* closed months?");
        assertThat(one(owner, "SELECT row_count FROM audit_log_seals WHERE partition_name = '" + closed + "'", Long.class)).isEqualTo(3);
        assertThat(one(owner, """
                SELECT count(*) FROM audit_log_seals
                 WHERE month >= date_trunc('month', (now() - interval '1 day') AT TIME ZONE 'UTC')""", Long.class))
                .as("the current month, and one that ended less than a day ago, stay open").isZero();
        assertThatThrownBy(() -> owner.useHandle(handle -> handle.execute("DELETE FROM audit_log WHERE occurred_at < now() - interval '1 month'")))
                .hasMessageContaining("the audit month is sealed");
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO audit_log (table_name, operation, row_key, changed_columns, actor_role, database_role, transaction_id)
                VALUES ('facilitators', 'UPDATE', '{}', '{}', 'system', current_user, txid_current())"""));
        assertThat(new AuditPartitionsJob(transactions(app)).run().detail()).doesNotContain("sealed");
    }

    @Test
    void aWriteWhoseMonthHasNoPartitionWaitsInTheDefaultUntilTheUpkeepMovesIt(DataSource app, @Owner Jdbi owner) {
        // from a known start whatever the template's age (the external provider reuses one across months)
        new AuditPartitionsJob(transactions(app)).run();
        String thisMonth = owner.withHandle(handle -> handle.createQuery(
                "SELECT to_char(now() AT TIME ZONE 'UTC', '\"audit_log_y\"YYYY\"m\"MM')").mapTo(String.class).one());
        owner.useHandle(handle -> handle.execute("DROP TABLE " + thisMonth)); // as if the upkeep had never run
        UUID facilitator = owner.withHandle(handle -> handle.createQuery("""
                INSERT INTO facilitators (email, password_hash, display_name)
                VALUES ('t@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'T') RETURNING id""")
                .mapTo(UUID.class).one());
        // and a row seven months ahead, past every partition the upkeep makes in advance
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO audit_log (occurred_at, table_name, operation, row_key, changed_columns, actor_role, database_role, transaction_id)
                VALUES (now() + interval '7 months', 'facilitators', 'UPDATE', '{}', '{}', 'system', current_user, txid_current())"""));
        assertThat(status(app)).as("what /health reads, as the application").startsWith("2 ");
        long rows = one(owner, "SELECT count(*) FROM audit_log", Long.class);

        JobOutcome outcome = new AuditPartitionsJob(transactions(app)).run();

        assertThat(outcome.detail()).isEqualTo("created 2 partitions");
        assertThat(status(app)).startsWith("0 ");
        assertThat(one(owner, "SELECT count(*) FROM " + thisMonth + " WHERE row_key ->> 'id' = '" + facilitator + "'", Long.class))
                .as("moved into its month").isEqualTo(1);
        assertThat(one(owner, """
                SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'audit_log'::regclass
                   AND c.relname = to_char((now() + interval '7 months') AT TIME ZONE 'UTC', '"audit_log_y"YYYY"m"MM')""", Long.class))
                .as("attached as a partition").isEqualTo(1);
        assertThat(one(owner, "SELECT count(*) FROM audit_log", Long.class)).as("nothing lost").isEqualTo(rows);
    }

    private static <T> T one(Jdbi jdbi, String sql, Class<T> type) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(type).one());
    }

    private static String status(DataSource app) {
        return Jdbi.create(app).withHandle(handle -> handle.createQuery(
                "SELECT default_rows || ' ' || coalesce(oldest_default_row::text, '-') FROM app.audit_partition_status()").mapTo(String.class).one());
    }

    private static String single(Jdbi jdbi, String sql, UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).bind("id", id).mapTo(String.class).one());
    }

    /** created and expires are intervals from the database's now ({@code "-1 day"}). */
    private static UUID session(org.jdbi.v3.core.Handle handle, UUID facilitator, String token, String created, String expires) {
        return handle.createQuery("""
                INSERT INTO facilitator_sessions (facilitator_id, token_hash, created_at, expires_at)
                VALUES (:f, sha256(CAST(:t AS bytea)), now() + CAST(:c AS interval), now() + CAST(:e AS interval)) RETURNING id""")
                .bind("f", facilitator).bind("t", token).bind("c", created).bind("e", expires).mapTo(UUID.class).one();
    }

    private static UUID student(org.jdbi.v3.core.Handle handle, UUID classroom, String token, String created, String expires) {
        return handle.createQuery("""
                INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, created_at, expires_at)
                VALUES (:c, sha256(CAST(:t AS bytea)), '{"age_range": "8-9", "grade_level": 4}', now() + CAST(:cr AS interval),
                        now() + CAST(:e AS interval)) RETURNING id""")
                .bind("c", classroom).bind("t", token).bind("cr", created).bind("e", expires).mapTo(UUID.class).one();
    }

    private static TransactionRunner transactions(DataSource app) {
        return Fixtures.transactions(app);
    }
}
