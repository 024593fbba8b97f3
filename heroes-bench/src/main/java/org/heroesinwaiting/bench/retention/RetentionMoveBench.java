package org.heroesinwaiting.bench.retention;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.heroesinwaiting.persistence.DatabaseSettings;
import org.heroesinwaiting.persistence.PooledDataSources;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.RetentionRequest;
import org.heroesinwaiting.retention.RetentionResult;
import org.heroesinwaiting.retention.RetentionService;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.TestDatabase;
import org.heroesinwaiting.testkit.TestDatabases;
import org.heroesinwaiting.testkit.TestkitSettings;
import org.jdbi.v3.core.Jdbi;

/**
 * Moving a million eligible rows: 166,667 student sessions that joined 30 months ago, each with four
 * progress rows and one feedback row. The service ({@link RetentionService}, batches of the
 * policy's size, each committed) against raw statements run with psql in one transaction on a
 * second database holding the same data: the sessions due by the service's own rule (each one's
 * latest activity, its progress' and feedback's included, older than two years) into a temporary
 * table, then {@code WITH moved AS (DELETE ... RETURNING *) INSERT INTO ..._archive SELECT ...}
 * for progress, feedback and sessions. A third database shows the same statements picking sessions
 * by {@code created_at} alone, a rule that would move a session with recent activity (for
 * reference). Both raw runs move the rows unaudited (the service does by design; they with the
 * delete audit trigger disabled), so only the moving is compared. Each timed run starts after a
 * checkpoint, and the rounds alternate which side runs first. Runs {@code rounds} rounds
 * (default 3) and prints rows/s of each and the median ratio (goal: at least 0.8).
 *
 * <pre>
 * java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.retention.RetentionMoveBench [rounds] [batch_size]
 * </pre>
 */
public final class RetentionMoveBench {

    private static final int SESSIONS = 166_667;
    private static final int PROGRESS = 4;

    private static final String MOVES = """
            WITH moved AS (DELETE FROM student_progress p WHERE p.student_session_id IN (SELECT e.id FROM eligible e) RETURNING p.*)
            INSERT INTO student_progress_archive SELECT m.*, now(), 0 FROM moved m;
            WITH moved AS (DELETE FROM student_feedback f WHERE f.student_session_id IN (SELECT e.id FROM eligible e) RETURNING f.*)
            INSERT INTO student_feedback_archive SELECT m.*, now(), 0 FROM moved m;
            WITH moved AS (DELETE FROM student_sessions s WHERE s.id IN (SELECT e.id FROM eligible e) RETURNING s.*)
            INSERT INTO student_sessions_archive SELECT m.*, now(), 0 FROM moved m;
            """;

    /** The sessions the service moves: no activity of theirs or of their children in the last two years. */
    private static final String SAME_RULE = """
            CREATE TEMPORARY TABLE eligible ON COMMIT DROP AS
            SELECT s.id FROM student_sessions s
             WHERE greatest(s.created_at, s.last_seen_at, coalesce(s.ended_at, s.expires_at)) < now() - interval '2 years'
               AND NOT EXISTS (SELECT 1 FROM student_progress p WHERE p.student_session_id = s.id
                                  AND greatest(p.started_at, p.completed_at, p.recorded_at) >= now() - interval '2 years')
               AND NOT EXISTS (SELECT 1 FROM student_feedback f WHERE f.student_session_id = s.id
                                  AND f.submitted_at >= now() - interval '2 years');
            ANALYZE eligible;
            """ + MOVES;

    /** Sessions by when they joined alone. */
    private static final String CREATED_ONLY = """
            CREATE TEMPORARY TABLE eligible ON COMMIT DROP AS
            SELECT s.id FROM student_sessions s WHERE s.created_at < now() - interval '2 years';
            ANALYZE eligible;
            """ + MOVES;

    private RetentionMoveBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Integer batch = args.length > 1 ? Integer.valueOf(args[1]) : null;
        List<Double> ratios = new ArrayList<>();
        try (TestDatabases databases = TestDatabases.start(TestkitSettings.embedded())) {
            for (int round = 1; round <= rounds; round++) {
                ratios.add(round(databases, batch, round));
            }
        }
        Collections.sort(ratios);
        System.out.printf(Locale.ROOT, "median of %d rounds: %.2f of the raw statements' rows/s (rounds: %s; goal: >= 0.8)%n", rounds,
                ratios.get(ratios.size() / 2), ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
    }

    private static double round(TestDatabases databases, Integer batch, int round) throws Exception {
        try (TestDatabase sameRule = databases.create(); TestDatabase createdOnly = databases.create();
                TestDatabase served = databases.create()) {
            System.out.println("round " + round + ": writing 3 x " + SESSIONS + " sessions with " + PROGRESS
                    + " progress rows and 1 feedback row each...");
            for (TestDatabase database : List.of(sameRule, createdOnly, served)) {
                RetentionData.students(database.dataSource(DatabaseLogin.OWNER), SESSIONS, PROGRESS);
            }
            long rows = moved(served, "student_sessions", "student_progress", "student_feedback");
            for (TestDatabase database : List.of(sameRule, createdOnly)) {
                try (Connection owner = database.dataSource(DatabaseLogin.OWNER).getConnection(); Statement sql = owner.createStatement()) {
                    sql.execute("ALTER TABLE student_sessions DISABLE TRIGGER student_sessions_audit_deletes");
                }
            }
            if (batch != null) {
                try (Connection owner = served.dataSource(DatabaseLogin.OWNER).getConnection(); Statement sql = owner.createStatement()) {
                    sql.execute("UPDATE data_retention_policies SET batch_size = " + batch + " WHERE table_name = 'student_sessions'");
                }
            }

            // each timed run starts with no dirty buffers left by the writing or by the run before it; odd
            // rounds time the raw statements first, even rounds the service first
            long sameRuleNanos = 0;
            long createdOnlyNanos = 0;
            long serviceNanos = 0;
            RetentionResult result = null;
            for (int turn = 0; turn < 2; turn++) {
                if ((turn == 0) == (round % 2 == 1)) {
                    checkpoint(sameRule);
                    sameRuleNanos = RetentionData.psql(sameRule, SAME_RULE);
                    checkpoint(createdOnly);
                    createdOnlyNanos = RetentionData.psql(createdOnly, CREATED_ONLY);
                } else {
                    // the application's pool, as a host runs the service (a connection per call would be timed too)
                    try (HikariDataSource pool = PooledDataSources.forApplication(DatabaseSettings.of(served.jdbcUrl(), "heroes_app",
                            served.password(DatabaseLogin.APP)))) {
                        RetentionService service = new RetentionService(new TransactionRunner(Jdbi.create(pool).installPlugins()),
                                Optional.empty());
                        service.run(RetentionRequest.table("auth_attempts")); // warms the JVM's path through the service: nothing is due
                        checkpoint(served);
                        long started = System.nanoTime();
                        result = service.run(RetentionRequest.table("student_sessions"));
                        serviceNanos = System.nanoTime() - started;
                    }
                }
            }
            for (TestDatabase database : List.of(sameRule, createdOnly)) {
                long archived = moved(database, "student_sessions_archive", "student_progress_archive", "student_feedback_archive");
                if (archived != rows) {
                    throw new IllegalStateException("the raw statements moved " + archived + " of " + rows + " rows");
                }
            }
            if (result.archived() != rows) {
                throw new IllegalStateException("the service moved " + result.archived() + " of " + rows + " rows");
            }
            double serviceRate = rows / (serviceNanos / 1e9);
            double sameRuleRate = rows / (sameRuleNanos / 1e9);
            double createdOnlyRate = rows / (createdOnlyNanos / 1e9);
            System.out.printf(Locale.ROOT, "  raw statements, the service's rule (baseline): %,d rows in %.1f s, %,.0f rows/s%n", rows,
                    sameRuleNanos / 1e9, sameRuleRate);
            System.out.printf(Locale.ROOT, "  raw statements, created_at alone (reference):  %,d rows in %.1f s, %,.0f rows/s%n", rows,
                    createdOnlyNanos / 1e9, createdOnlyRate);
            System.out.printf(Locale.ROOT, "  RetentionService, %d committed batches:        %,d rows in %.1f s, %,.0f rows/s%n",
                    result.tables().get(0).batches(), rows, serviceNanos / 1e9, serviceRate);
            System.out.printf(Locale.ROOT, "  ratio: %.2f of the baseline's rows/s (%.2f of the reference's)%n", serviceRate / sameRuleRate,
                    serviceRate / createdOnlyRate);
            return serviceRate / sameRuleRate;
        }
    }

    /** A checkpoint (the backup login holds {@code pg_checkpoint}): the timed run does not pay for the writes before it. */
    private static void checkpoint(TestDatabase database) throws Exception {
        try (Connection backup = database.dataSource(DatabaseLogin.BACKUP).getConnection(); Statement sql = backup.createStatement()) {
            sql.execute("CHECKPOINT");
        }
    }

    private static long moved(TestDatabase database, String sessions, String progress, String feedback) throws Exception {
        return RetentionData.count(database.dataSource(DatabaseLogin.OWNER), "SELECT (SELECT count(*) FROM " + sessions
                + ") + (SELECT count(*) FROM " + progress + ") + (SELECT count(*) FROM " + feedback + ")");
    }
}
