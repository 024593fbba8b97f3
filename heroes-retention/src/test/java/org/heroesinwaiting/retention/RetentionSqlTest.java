package org.heroesinwaiting.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The retention functions of the deployment guide, against a real PostgreSQL, run as the
 * application login (as the server's job runs them) unless a test says otherwise. Years pass by
 * dating the school's history in the past and stepping as_of up to the present, never beyond.
 */
class RetentionSqlTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    /** The tables that move to an archive, with their key. */
    static final List<String> ARCHIVED = List.of("student_sessions", "student_progress", "student_feedback", "classroom_sessions",
            "security_incidents", "audit_log");

    @Test
    void steppingMonthByMonthThroughFortyMonthsLeavesEveryRowWhereTheRuleSays(@Owner Jdbi owner, DataSource app) {
        SchoolHistory history = SchoolHistory.write(owner, 40, 5);

        for (int k = 40; k >= 0; k--) {
            int monthsBack = k;
            Instant moment = owner.withHandle(handle -> handle.createQuery("SELECT CAST(:t0 AS timestamptz) - make_interval(months => :k)")
                    .bind("t0", history.writtenAt).bind("k", monthsBack).mapTo(Instant.class).one());
            List<String> results = run(app, "SELECT table_name || ' ' || archived || ' ' || purged FROM execute_data_retention_policy(NULL, :as_of)",
                    moment);
            assertThat(results).as("one row per governed table").hasSize(10);

            for (String table : ARCHIVED) {
                assertThat(misplaced(owner, table, moment)).as("%s as of %d months before the history was written", table, k).isEmpty();
            }
            assertThat(count(owner, "SELECT count(*) FROM student_feedback WHERE classroom_session_id IS NULL"))
                    .as("no live feedback lost its lesson").isZero();
        }
        assertThat(count(owner, "SELECT count(*) FROM audit_log_archive_moves WHERE method = 'partition'"))
                .as("months that had partitions left audit_log whole").isPositive();
        assertThat(count(owner, "SELECT count(*) FROM audit_log_archive_moves WHERE method = 'rows'"))
                .as("months in the default partition moved row by row").isPositive();
        assertThat(count(owner, "SELECT count(*) FROM audit_log_archive_moves WHERE method = 'dropped'"))
                .as("months past the total period were dropped whole").isPositive();
    }

    @Test
    void archivedRowsEqualTheOriginalsColumnForColumnAndNothingIsGainedOrLost(@Owner Jdbi owner, DataSource app) {
        SchoolHistory.write(owner, 40, 3);
        Map<String, Long> before = totals(owner);
        for (String table : List.of("student_sessions", "student_progress", "student_feedback", "classroom_sessions", "security_incidents")) {
            owner.useHandle(handle -> handle.execute("CREATE TABLE original_" + table + " AS SELECT * FROM " + table));
        }

        List<String> results = run(app, "SELECT table_name || ' ' || archived || ' ' || purged || ' ' || still_eligible "
                + "FROM execute_data_retention_policy()", null);

        Map<String, Long> after = totals(owner);
        for (String line : results) {
            String[] cells = line.split(" ");
            String table = cells[0];
            long purged = Long.parseLong(cells[2]);
            if (before.containsKey(table)) {
                assertThat(after.get(table) + purged).as("%s: live + archive before = after + purged (%s)", table, line)
                        .isEqualTo(before.get(table));
            }
            if (!table.equals("audit_log")) {
                // (one transaction retires at most one audit month: theProcedureWorksOffABacklog... covers the rest)
                assertThat(cells[3]).as("%s: nothing left due", table).isEqualTo("0");
            }
        }
        assertThat(results).anySatisfy(line -> assertThat(line).startsWith("student_progress ").doesNotStartWith("student_progress 0 "));
        for (String table : List.of("student_sessions", "student_progress", "student_feedback", "classroom_sessions", "security_incidents")) {
            String columns = columns(owner, table);
            long differences = count(owner, """
                    SELECT count(*) FROM (
                        (SELECT %2$s FROM original_%1$s o
                          WHERE o.id NOT IN (SELECT h.id::uuid FROM history_clocks h WHERE h.table_name = '%1$s'
                                                AND h.purge_clock < now() - interval '3 years')
                         EXCEPT SELECT %2$s FROM (SELECT %2$s FROM %1$s UNION ALL SELECT %2$s FROM %1$s_archive) now_rows)
                        UNION ALL
                        (SELECT %2$s FROM (SELECT %2$s FROM %1$s UNION ALL SELECT %2$s FROM %1$s_archive) now_rows
                         EXCEPT SELECT %2$s FROM original_%1$s)) d""".formatted(table, columns));
            assertThat(differences).as("%s: every row kept is its original, column for column, both ways", table).isZero();
        }
    }

    @Test
    void aSecondRunAtTheSameMomentAndADryRunChangeNothing(@Owner Jdbi owner, DataSource app) {
        SchoolHistory.write(owner, 40, 3);
        String written = fingerprint(owner);
        List<String> dry = run(app, "SELECT table_name || ' ' || archived || ' ' || purged FROM execute_data_retention_policy(dry_run => true)", null);
        assertThat(fingerprint(owner)).as("a dry run changes nothing").isEqualTo(written);
        assertThat(dry).contains("student_sessions 96 0").anySatisfy(line -> assertThat(line).startsWith("audit_log ").doesNotEndWith(" 0 0"));

        Instant asOf = Instant.now().minusSeconds(5);
        Instant moment = owner.withHandle(handle -> handle.createQuery("SELECT least(now(), CAST(:t AS timestamptz))").bind("t", asOf)
                .mapTo(Instant.class).one());
        run(app, "SELECT table_name FROM execute_data_retention_policy(NULL, :as_of)", moment);
        run(app, "SELECT table_name FROM execute_data_retention_policy(NULL, :as_of)", moment);
        // the audit log retires one month per call: let it finish, then compare a run at the same moment
        owner.useHandle(handle -> handle.execute("CALL run_data_retention(as_of => ?)", moment));
        String settled = fingerprint(owner);

        List<String> again = run(app, "SELECT table_name || ' ' || archived || ' ' || purged FROM execute_data_retention_policy(NULL, :as_of)",
                moment);

        assertThat(again).allSatisfy(line -> assertThat(line).endsWith(" 0 0"));
        assertThat(fingerprint(owner)).isEqualTo(settled);
    }

    @Test
    void aRunKilledHalfWayLosesNothingAndTheNextRunGoesOn(@Owner Jdbi owner, DataSource app) throws Exception {
        SchoolHistory.write(owner, 40, 250);
        owner.useHandle(handle -> handle.execute("UPDATE data_retention_policies SET batch_size = 400 WHERE table_name = 'student_sessions'"));
        Map<String, Long> before = totals(owner);
        assertThat(count(owner, "SELECT count(*) FROM app.retention_past_sessions(now() - interval '2 years', NULL)"))
                .as("about 20 batches of sessions").isEqualTo(8000);

        int[] pid = new int[1];
        CompletableFuture<Throwable> killed = CompletableFuture.supplyAsync(() -> {
            try (Connection connection = app.getConnection(); Statement statement = connection.createStatement()) {
                var rs = statement.executeQuery("SELECT pg_backend_pid()");
                rs.next();
                pid[0] = rs.getInt(1);
                statement.execute("CALL run_data_retention('student_sessions')");
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
        // wait for some committed batches (polled on the data, not on time), then end that backend
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count(owner, "SELECT coalesce(max(batches), 0) FROM retention_run_tables WHERE table_name = 'student_sessions'") < 5
                && !killed.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(killed).as("the run was still going").isNotDone();
        // (a backend may be ended by its own role, as a DBA would end it)
        Jdbi.create(app).useHandle(handle -> handle.execute("SELECT pg_terminate_backend(?)", pid[0]));
        assertThat(killed.get(30, TimeUnit.SECONDS)).isInstanceOf(SQLException.class);

        assertThat(totals(owner)).as("after the crash, every row is in one place").isEqualTo(before);
        assertThat(count(owner, "SELECT count(*) FROM student_sessions s JOIN student_sessions_archive a USING (id)")).isZero();
        long moved = count(owner, "SELECT count(*) FROM student_sessions_archive");
        assertThat(moved).as("some batches were committed, not all").isBetween(1L, 7999L);
        assertThat(count(owner, """
                SELECT count(*) FROM student_sessions_archive s
                 WHERE (SELECT count(*) FROM student_progress_archive p WHERE p.student_session_id = s.id) <> 2
                    OR (SELECT count(*) FROM student_feedback_archive f WHERE f.student_session_id = s.id) <> 1"""))
                .as("each moved session moved with all of its progress and feedback").isZero();

        List<String> rerun = run(app, "SELECT table_name || ' ' || archived || ' ' || purged "
                + "FROM execute_data_retention_policy('student_sessions', max_rows => 1000000)", null);

        // the rest moves; then the 2,000 sessions past the total period leave the archive
        assertThat(rerun).contains("student_sessions " + (8000 - moved) + " 2000");
        assertThat(count(owner, "SELECT count(*) FROM student_sessions")).isEqualTo(12000);
        assertThat(count(owner, "SELECT count(*) FROM student_sessions_archive")).isEqualTo(6000);
        assertThat(strings(owner, "SELECT outcome FROM retention_runs ORDER BY id"))
                .containsExactly("interrupted", "succeeded");
    }

    @Test
    void aChildCommittedWhileItsSessionIsBeingArchivedUndoesTheBatchInsteadOfCascadingAway(@Owner Jdbi owner, DataSource app) throws Exception {
        SchoolHistory.write(owner, 30, 1);
        Map<String, Long> before = totals(owner);
        String oldest = strings(owner, "SELECT id::text FROM app.retention_past_sessions(now() - interval '2 years', 1)").get(0);

        try (Handle late = owner.open()) {
            // a progress row for the oldest due session, dated in its day, not committed yet: the batch's move
            // of its children cannot see it, and its foreign key's lock on the session holds the session's delete
            late.begin();
            late.execute("""
                    INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                                  completed_at, time_spent_seconds, idempotency_key, recorded_at)
                    SELECT p.student_session_id, p.classroom_id, p.lesson_id, p.lesson_content_id, 'completed', p.started_at,
                           p.completed_at, 60, 'synced-late', p.recorded_at
                      FROM student_progress p WHERE p.student_session_id = CAST(? AS uuid) LIMIT 1""", oldest);
            CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
                try {
                    run(app, "SELECT table_name FROM execute_data_retention_policy('student_sessions')", null);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(owner, "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'") == 0 && !run.isDone()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(run).as("the run waits for the session's lock").isNotDone();
            late.commit();

            Throwable refused = run.get(60, TimeUnit.SECONDS);
            assertThat(refused).as("the cascade would have deleted the late row unarchived").isNotNull();
            assertThat(sqlState(refused)).isEqualTo("40001");
            assertThat(refused).hasMessageContaining("appeared while retention archived its session");
        }
        Map<String, Long> withTheLateRow = new java.util.LinkedHashMap<>(before);
        withTheLateRow.merge("student_progress", 1L, Long::sum);
        assertThat(totals(owner)).as("the batch was undone whole").isEqualTo(withTheLateRow);
        assertThat(count(owner, "SELECT count(*) FROM student_sessions_archive")).isZero();

        // run again: the session moves with every child, the late one included
        run(app, "SELECT table_name FROM execute_data_retention_policy('student_sessions')", null);
        assertThat(totals(owner)).as("nothing lost").isEqualTo(withTheLateRow);
        assertThat(count(owner, "SELECT count(*) FROM student_progress_archive WHERE idempotency_key = 'synced-late' AND student_session_id = '"
                + oldest + "'")).isOne();

        // a session deleted outside a batch still takes its children with it (a facilitator's erasure)
        String live = strings(owner, "SELECT id::text FROM student_sessions s WHERE EXISTS (SELECT 1 FROM student_progress p"
                + " WHERE p.student_session_id = s.id) LIMIT 1").get(0);
        owner.useHandle(handle -> handle.execute("DELETE FROM student_sessions WHERE id = CAST(? AS uuid)", live));
        assertThat(count(owner, "SELECT count(*) FROM student_progress WHERE student_session_id = '" + live + "'")).isZero();
    }

    @Test
    void aSecondRunIsRefusedAtOnceWhileOneIsInProgress(@Owner Jdbi owner, DataSource app) throws Exception {
        SchoolHistory.write(owner, 30, 2);
        try (Connection first = app.getConnection(); Statement statement = first.createStatement()) {
            statement.execute("SELECT app.retention_open(NULL, NULL, 'service', NULL)");

            // a second run neither waits nor moves anything
            assertThatThrownBy(() -> run(app, "SELECT table_name FROM execute_data_retention_policy()", null))
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("55006"))
                    .hasMessageContaining("a retention run is in progress");
            assertThatThrownBy(() -> owner.useHandle(handle -> handle.execute("CALL run_data_retention()")))
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("55006"));
            assertThat(count(owner, "SELECT count(*) FROM student_sessions_archive")).isZero();
        }
        // its connection ended: the lock went with it, and the next run records the first as interrupted
        run(app, "SELECT table_name FROM execute_data_retention_policy()", null);
        assertThat(strings(owner, "SELECT outcome FROM retention_runs ORDER BY id"))
                .containsExactly("interrupted", "succeeded");
    }

    @Test
    void theApplicationReadsOnlyWhatItMayAndChangesNothingByHand(@Owner Jdbi owner, DataSource app) {
        SchoolHistory.write(owner, 30, 2);
        run(app, "SELECT table_name FROM execute_data_retention_policy()", null);
        Jdbi application = Jdbi.create(app);

        for (String statement : List.of("DELETE FROM student_progress_archive", "UPDATE student_sessions_archive SET ended_at = now()",
                "INSERT INTO security_incidents_archive SELECT * FROM security_incidents_archive",
                "UPDATE data_retention_policies SET live_period = interval '1 day'", "DELETE FROM data_retention_policies",
                "DELETE FROM retention_runs", "DELETE FROM audit_log_archive")) {
            assertThatThrownBy(() -> application.useHandle(handle -> handle.execute(statement)))
                    .as(statement).satisfies(e -> assertThat(sqlState(e)).isEqualTo("42501"));
        }
        assertThatThrownBy(() -> run(app, "SELECT table_name FROM execute_data_retention_policy(NULL, now() + interval '1 second')", null))
                .hasMessageContaining("as_of must not be later than now()");
        assertThatThrownBy(() -> run(app, "SELECT table_name FROM execute_data_retention_policy('students')", null))
                .hasMessageContaining("retention does not govern the table students; it governs student_sessions, student_progress");

        // a facilitator reads their own classrooms' archived rows; no actor, none; an admin, all
        UUID facilitatorA = owner.withHandle(handle -> handle.createQuery("SELECT id FROM facilitators WHERE display_name = 'A'")
                .mapTo(UUID.class).one());
        long allArchived = count(owner, "SELECT count(*) FROM student_progress_archive");
        long aArchived = count(owner, """
                SELECT count(*) FROM student_progress_archive p JOIN classrooms c ON c.id = p.classroom_id
                 WHERE c.facilitator_id = (SELECT id FROM facilitators WHERE display_name = 'A')""");
        assertThat(aArchived).isPositive().isLessThan(allArchived);
        for (String table : List.of("student_sessions_archive", "student_progress_archive", "student_feedback_archive",
                "classroom_sessions_archive")) {
            assertThat(asActor(application, facilitatorA, "facilitator", "SELECT count(*) FROM " + table + " t JOIN classrooms c ON c.id = t.classroom_id"
                    + " WHERE c.facilitator_id <> '" + facilitatorA + "'")).as("%s: nobody else's", table).isZero();
            assertThat(asActor(application, facilitatorA, "facilitator", "SELECT count(*) FROM " + table)).as(table).isPositive();
            assertThat(asActor(application, null, "system", "SELECT count(*) FROM " + table)).as(table).isZero();
        }
        assertThat(asActor(application, facilitatorA, "facilitator", "SELECT count(*) FROM student_progress_archive")).isEqualTo(aArchived);
        assertThat(asActor(application, facilitatorA, "facilitator", "SELECT count(*) FROM security_incidents_archive")).isZero();
        assertThat(asActor(application, facilitatorA, "facilitator", "SELECT count(*) FROM audit_log_archive")).isZero();
        assertThat(asActor(application, facilitatorA, "admin", "SELECT count(*) FROM student_progress_archive")).isEqualTo(allArchived);
        assertThat(asActor(application, facilitatorA, "admin", "SELECT count(*) FROM security_incidents_archive")).isPositive();
    }

    @Test
    void onlyABatchsOwnDeletesGoUnauditedNotADeleteBesideItInTheSameTransaction(@Owner Jdbi owner, DataSource app) throws Exception {
        SchoolHistory.write(owner, 30, 1);
        try (Connection connection = app.getConnection(); Statement sql = connection.createStatement()) {
            var opened = sql.executeQuery("SELECT app.retention_open(NULL, NULL, 'service', NULL)");
            opened.next();
            long run = opened.getLong(1);
            connection.setAutoCommit(false);
            sql.execute("SELECT app.set_context(NULL, NULL, 'admin', 'by-hand', NULL)");
            sql.execute("SELECT * FROM app.retention_next_batch(" + run + ")");
            // the marker the trigger once trusted, set by hand: it must not hide this delete
            sql.execute("SELECT set_config('app.retention_run', '" + run + "', true)");
            int deleted = sql.executeUpdate("DELETE FROM classroom_sessions WHERE id = (SELECT id FROM classroom_sessions ORDER BY started_at DESC LIMIT 1)");
            connection.commit();
            assertThat(deleted).isOne();
        }

        assertThat(count(owner, "SELECT count(*) FROM student_sessions_archive")).as("the batch moved sessions").isPositive();
        assertThat(count(owner, "SELECT count(*) FROM audit_log WHERE table_name = 'student_sessions' AND operation = 'DELETE'"))
                .as("the batch's own deletes").isZero();
        assertThat(strings(owner, "SELECT request_id FROM audit_log WHERE table_name = 'classroom_sessions' AND operation = 'DELETE'"))
                .as("the delete beside it").containsExactly("by-hand");
    }

    @Test
    void aChildTableNamedAloneMovesOnlyItsOwnRowsAndItsSessionFollowsOnItsOwnRun(@Owner Jdbi owner, DataSource app) {
        SchoolHistory.write(owner, 30, 2);
        long dueSessions = count(owner, "SELECT count(*) FROM app.retention_past_sessions(now() - interval '2 years', NULL)");

        List<String> feedback = run(app, "SELECT table_name || ' ' || archived FROM execute_data_retention_policy('student_feedback')", null);

        assertThat(feedback).containsExactly("student_feedback " + dueSessions);
        assertThat(count(owner, "SELECT count(*) FROM student_sessions_archive")).as("the sessions stay live").isZero();
        assertThat(count(owner, "SELECT count(*) FROM student_progress_archive")).isZero();
        List<String> sessions = run(app, "SELECT table_name || ' ' || archived FROM execute_data_retention_policy('student_sessions')", null);
        assertThat(sessions).containsExactly("student_sessions " + dueSessions, "student_progress " + 2 * dueSessions, "student_feedback 0");
        assertThat(count(owner, "SELECT count(*) FROM student_feedback_archive")).isEqualTo(dueSessions);
    }

    @Test
    void aPolicyChangeIsAuditedWithTheRowsId(@Owner Jdbi owner) {
        assertThat(count(owner, "SELECT count(*) FROM audit_log WHERE table_name = 'data_retention_policies'")).as("the seeds").isEqualTo(8);
        owner.useHandle(handle -> handle.execute("UPDATE data_retention_policies SET batch_size = 3000 WHERE table_name = 'auth_attempts'"));

        assertThat(strings(owner, "SELECT operation || ' ' || (row_key ->> 'id') || ' ' || array_to_string(changed_columns, ',') FROM audit_log "
                + "WHERE table_name = 'data_retention_policies' AND operation <> 'INSERT'"))
                .containsExactly("UPDATE " + count(owner, "SELECT id FROM data_retention_policies WHERE table_name = 'auth_attempts'")
                        + " batch_size,updated_at");
        assertThatThrownBy(() -> owner.useHandle(handle -> handle.execute(
                "UPDATE data_retention_policies SET total_period = interval '1 year' WHERE table_name = 'audit_log'")))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
    }

    @Test
    void aLessonStillNamedByLiveFeedbackStaysLive(@Owner Jdbi owner, DataSource app) {
        SchoolHistory.write(owner, 30, 1);
        // a recent student's feedback names a lesson taught 29 months ago
        UUID oldLesson = owner.withHandle(handle -> handle.createQuery("""
                UPDATE student_feedback f SET classroom_session_id = (
                    SELECT cs.id FROM classroom_sessions cs WHERE cs.classroom_id = f.classroom_id ORDER BY cs.started_at LIMIT 1)
                 WHERE f.id = (SELECT f2.id FROM student_feedback f2 ORDER BY f2.submitted_at DESC LIMIT 1)
                RETURNING classroom_session_id""").mapTo(UUID.class).one());

        run(app, "SELECT table_name FROM execute_data_retention_policy()", null);

        assertThat(count(owner, "SELECT count(*) FROM classroom_sessions WHERE id = '" + oldLesson + "'")).isOne();
        assertThat(count(owner, "SELECT count(*) FROM student_feedback WHERE classroom_session_id = '" + oldLesson + "'")).isOne();
        assertThat(count(owner, "SELECT count(*) FROM classroom_sessions_archive")).isPositive();
    }

    @Test
    void plainPurgesKeepTheirOwnPeriodsAndEachJobsLatestRun(@Owner Jdbi owner, DataSource app) {
        SchoolHistory.write(owner, 3, 1);

        List<String> results = run(app, "SELECT table_name || ' ' || purged FROM execute_data_retention_policy()", null);

        assertThat(results).contains("facilitator_sessions 4", "facilitator_retired_tokens 4", "auth_attempts 2", "job_runs 2");
        assertThat(count(owner, "SELECT count(*) FROM facilitator_sessions")).as("ended 10 days ago").isEqualTo(2);
        assertThat(strings(owner, "SELECT job_name || ' ' || (now() - started_at > interval '90 days') FROM job_runs ORDER BY 1"))
                .containsExactly("expire-sessions false", "rare-job true");
        assertThat(count(owner, "SELECT count(*) FROM auth_attempts WHERE attempted_at < now() - interval '90 days'")).isZero();
        assertThat(count(owner, "SELECT count(*) FROM auth_attempts")).isEqualTo(2);
    }

    @Test
    void theProcedureWorksOffABacklogBatchByBatchAndTheFunctionRetiresOneAuditMonthPerCall(@Owner Jdbi owner, DataSource app) {
        SchoolHistory.write(owner, 40, 2);
        // a month made before its partition kept the constraint on its bounds: retention adds and validates one
        String oldest = strings(owner, "SELECT partition_name FROM app.retention_audit_months('public.audit_log') ORDER BY month LIMIT 1").get(0);
        owner.useHandle(handle -> handle.execute("ALTER TABLE " + oldest + " DROP CONSTRAINT " + oldest + "_bound"));
        List<String> first = run(app, "SELECT table_name || ' ' || still_eligible FROM execute_data_retention_policy('audit_log')", null);
        assertThat(first).singleElement().asString().startsWith("audit_log ").isNotEqualTo("audit_log 0");

        owner.useHandle(handle -> handle.execute("CALL run_data_retention()"));

        assertThat(run(app, "SELECT table_name || ' ' || archived || ' ' || purged || ' ' || still_eligible "
                + "FROM execute_data_retention_policy(dry_run => true)", null)).allSatisfy(line -> assertThat(line).endsWith(" 0 0 0"));
        assertThat(count(owner, "SELECT count(*) FROM audit_log a JOIN history_clocks h ON h.id = a.id::text AND h.table_name = 'audit_log' "
                + "WHERE h.live_clock < now() - interval '2 years'")).isZero();
        assertThat(count(owner, "SELECT count(*) FROM retention_runs WHERE started_by = 'procedure' AND outcome = 'succeeded'")).isOne();
        assertThat(count(owner, "SELECT count(*) FROM pg_constraint WHERE conname LIKE 'audit_log%_bound' AND conrelid IN "
                + "(SELECT inhrelid FROM pg_inherits WHERE inhparent = 'audit_log_archive'::regclass)"))
                .as("the archive's months keep no bound of their own").isZero();
        assertThat(count(owner, "SELECT count(*) FROM pg_constraint WHERE conname LIKE 'audit_log%_bound' AND convalidated AND conrelid IN "
                + "(SELECT inhrelid FROM pg_inherits WHERE inhparent = 'audit_log'::regclass)"))
                .as("every live month carries its validated bound").isPositive();
        assertThat(count(owner, "SELECT sum(batches) FROM retention_run_tables t JOIN retention_runs r ON r.id = t.run_id "
                + "WHERE r.started_by = 'procedure'")).isGreaterThan(3);
    }

    @Test
    void aSealedAuditMonthRefusesEveryChangeAndRetiresWithTheCountItWasSealedWith(@Owner Jdbi owner, DataSource app) {
        SchoolHistory.write(owner, 40, 2);
        Jdbi application = Jdbi.create(app);
        long months = count(owner, """
                SELECT count(*) FROM app.retention_audit_months('public.audit_log')
                 WHERE month + interval '1 month' <= (now() - interval '1 day') AT TIME ZONE 'UTC'""");
        assertThat(months).as("closed months with a partition of their own").isGreaterThan(12);

        int sealed = application.withHandle(handle -> handle.createQuery("SELECT app.seal_audit_months()").mapTo(Integer.class).one());
        int again = application.withHandle(handle -> handle.createQuery("SELECT app.seal_audit_months()").mapTo(Integer.class).one());

        assertThat(sealed).as("every closed month, by the application's upkeep").isEqualTo((int) months);
        assertThat(again).as("a month is sealed once").isZero();
        assertThat(count(owner, "SELECT count(*) FROM audit_log_seals s JOIN app.retention_audit_months('public.audit_log') m "
                + "ON m.partition_name = s.partition_name WHERE m.month + interval '1 month' > (now() - interval '1 day') AT TIME ZONE 'UTC'"))
                .as("no month still open, or closed less than a day ago").isZero();
        for (String partition : strings(owner, "SELECT partition_name FROM audit_log_seals")) {
            assertThat(count(owner, "SELECT row_count FROM audit_log_seals WHERE partition_name = '" + partition + "'"))
                    .as(partition).isEqualTo(count(owner, "SELECT count(*) FROM " + partition));
        }

        String oldest = strings(owner, "SELECT partition_name FROM audit_log_seals ORDER BY month LIMIT 1").get(0);
        String inOldest = "(SELECT min(occurred_at) FROM " + oldest + ")";
        for (String statement : List.of(
                "UPDATE audit_log SET request_id = 'changed' WHERE occurred_at = " + inOldest,
                "DELETE FROM audit_log WHERE occurred_at = " + inOldest,
                "INSERT INTO audit_log (table_name, operation, row_key, changed_columns, actor_role, database_role, transaction_id, occurred_at) "
                        + "VALUES ('classrooms', 'INSERT', '{}', '{}', 'system', 'heroes_owner', 1, " + inOldest + ")",
                "TRUNCATE " + oldest)) {
            assertThatThrownBy(() -> owner.useHandle(handle -> handle.createScript(statement).execute()))
                    .as("as the owner: %s", statement).hasMessageContaining("the audit month is sealed")
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("55000"));
        }
        owner.useHandle(handle -> handle.execute("INSERT INTO audit_log (table_name, operation, row_key, changed_columns, actor_role, "
                + "database_role, transaction_id) VALUES ('classrooms', 'INSERT', '{}', '{}', 'system', 'heroes_owner', 1)"));
        assertThat(count(owner, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'audit_log_sealed%' AND tgenabled = 'A'"))
                .as("the seals fire under session_replication_role = replica too (a superuser's setting)").isEqualTo(2 * months);

        // the retire takes a sealed month's count as what moved, without counting it again: a seal whose count
        // is wrong shows it; a month whose triggers a DBA disabled is counted again
        long oldestRows = count(owner, "SELECT count(*) FROM " + oldest);
        owner.useHandle(handle -> handle.execute("UPDATE audit_log_seals SET row_count = row_count + 1000 WHERE partition_name = ?", oldest));
        String second = strings(owner, "SELECT partition_name FROM audit_log_seals ORDER BY month OFFSET 1 LIMIT 1").get(0);
        owner.useHandle(handle -> handle.execute("ALTER TABLE " + second + " DISABLE TRIGGER audit_log_sealed"));
        owner.useHandle(handle -> handle.execute("INSERT INTO audit_log (table_name, operation, row_key, changed_columns, actor_role, "
                + "database_role, transaction_id, occurred_at) SELECT 'classrooms', 'INSERT', '{}', '{}', 'system', 'heroes_owner', 1, "
                + "min(occurred_at) FROM " + second));
        long secondRows = count(owner, "SELECT count(*) FROM " + second);
        String secondMonth = strings(owner, "SELECT month::text FROM audit_log_seals WHERE partition_name = '" + second + "'").get(0);
        String oldestMonth = strings(owner, "SELECT month::text FROM audit_log_seals WHERE partition_name = '" + oldest + "'").get(0);

        owner.useHandle(handle -> handle.execute("CALL run_data_retention()"));

        assertThat(count(owner, "SELECT row_count FROM audit_log_archive_moves WHERE method = 'partition' AND month = '" + oldestMonth + "'"))
                .isEqualTo(oldestRows + 1000);
        assertThat(count(owner, "SELECT row_count FROM audit_log_archive_moves WHERE method = 'partition' AND month = '" + secondMonth + "'"))
                .isEqualTo(secondRows);
        assertThat(count(owner, "SELECT count(*) FROM audit_log_archive WHERE occurred_at >= '" + secondMonth + "' AND occurred_at < date '"
                + secondMonth + "' + interval '1 month'")).isEqualTo(secondRows);
        assertThat(count(owner, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'audit_log_sealed%' AND tgrelid IN "
                + "(SELECT inhrelid FROM pg_inherits WHERE inhparent = 'audit_log_archive'::regclass)"))
                .as("the archive's months carry no seal").isZero();
        assertThat(count(owner, "SELECT count(*) FROM audit_log_seals WHERE month <= '" + secondMonth + "'"))
                .as("a retired month's seal goes with it").isZero();
        assertThat(count(owner, "SELECT count(*) FROM audit_log_seals")).as("the younger months stay sealed").isPositive();
    }

    // ---------------------------------------------------------------------------------------------

    private static List<String> run(DataSource app, String sql, Instant asOf) {
        return Jdbi.create(app).withHandle(handle -> {
            var query = handle.createQuery(sql);
            if (sql.contains(":as_of")) {
                query.bind("as_of", asOf);
            }
            return query.mapTo(String.class).list();
        });
    }

    /** The rows of a table that are not where the rule puts them as of a moment (at most 5, described). */
    private static List<String> misplaced(Jdbi owner, String table, Instant asOf) {
        return owner.withHandle(handle -> handle.createQuery("""
                SELECT x.id || ': expected ' || x.expected || ', is ' || x.actual FROM (
                    SELECT h.id,
                           CASE WHEN h.live_clock >= CAST(:as_of AS timestamptz) - interval '2 years' THEN 'live'
                                WHEN h.purge_clock >= CAST(:as_of AS timestamptz) - interval '3 years' THEN 'archive'
                                ELSE 'gone' END AS expected,
                           CASE WHEN l.id IS NOT NULL AND a.id IS NOT NULL THEN 'both'
                                WHEN l.id IS NOT NULL THEN 'live' WHEN a.id IS NOT NULL THEN 'archive' ELSE 'gone' END AS actual
                      FROM history_clocks h
                      LEFT JOIN %1$s l ON l.id::text = h.id
                      LEFT JOIN %1$s_archive a ON a.id::text = h.id
                     WHERE h.table_name = '%1$s') x
                 WHERE x.expected <> x.actual ORDER BY x.id LIMIT 5""".formatted(table))
                .bind("as_of", asOf).mapTo(String.class).list());
    }

    /** Live + archived rows per archived table. */
    private static Map<String, Long> totals(Jdbi owner) {
        java.util.LinkedHashMap<String, Long> totals = new java.util.LinkedHashMap<>();
        for (String table : ARCHIVED) {
            totals.put(table, count(owner, "SELECT (SELECT count(*) FROM " + table + ") + (SELECT count(*) FROM " + table + "_archive)"));
        }
        return totals;
    }

    /** Every governed table's content and its archive's, hashed. */
    private static String fingerprint(Jdbi owner) {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("student_sessions", "student_progress", "student_feedback", "classroom_sessions", "security_incidents",
                "audit_log", "facilitator_sessions", "facilitator_retired_tokens", "auth_attempts", "job_runs")) {
            all.append(table).append('=').append(strings(owner,
                    "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM " + table + " t"));
            if (!List.of("facilitator_sessions", "facilitator_retired_tokens", "auth_attempts", "job_runs").contains(table)) {
                all.append('/').append(strings(owner,
                        "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM " + table + "_archive t"));
            }
            all.append(' ');
        }
        return all.toString();
    }

    private static String columns(Jdbi owner, String table) {
        return owner.withHandle(handle -> handle.createQuery("""
                SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                 WHERE attrelid = CAST(:t AS regclass) AND attnum > 0 AND NOT attisdropped""").bind("t", table).mapTo(String.class).one());
    }

    private static long asActor(Jdbi application, UUID facilitator, String role, String sql) {
        return application.inTransaction(handle -> {
            handle.execute("SELECT app.set_context(?, NULL, ?, NULL, NULL)", facilitator, role);
            return handle.createQuery(sql).mapTo(Long.class).one();
        });
    }

    static List<String> strings(Jdbi jdbi, String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).list());
    }

    static long count(Jdbi owner, String sql) {
        return owner.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    static String sqlState(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return error instanceof UnableToExecuteStatementException ? "unknown" : "none";
    }
}
