package org.heroesinwaiting.bench.retention;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
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
 * policy's size, each committed) against the raw statements run with psql in one transaction on a
 * second database holding the same data: {@code WITH moved AS (DELETE ... RETURNING *) INSERT INTO
 * ..._archive SELECT ...}, progress, feedback, then sessions. Both move the rows unaudited (the
 * service by design; the baseline with the audit trigger disabled), so only the moving is
 * compared. Prints rows/s of both and the ratio (goal: at least 0.8).
 *
 * <pre>
 * java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.retention.RetentionMoveBench [batch_size]
 * </pre>
 */
public final class RetentionMoveBench {

    private static final int SESSIONS = 166_667;
    private static final int PROGRESS = 4;

    private static final String RAW = """
            WITH moved AS (DELETE FROM student_progress p
                            WHERE p.student_session_id IN (SELECT s.id FROM student_sessions s WHERE s.created_at < now() - interval '2 years')
                           RETURNING p.*)
            INSERT INTO student_progress_archive SELECT m.*, now(), 0 FROM moved m;
            WITH moved AS (DELETE FROM student_feedback f
                            WHERE f.student_session_id IN (SELECT s.id FROM student_sessions s WHERE s.created_at < now() - interval '2 years')
                           RETURNING f.*)
            INSERT INTO student_feedback_archive SELECT m.*, now(), 0 FROM moved m;
            WITH moved AS (DELETE FROM student_sessions s WHERE s.created_at < now() - interval '2 years' RETURNING s.*)
            INSERT INTO student_sessions_archive SELECT m.*, now(), 0 FROM moved m;
            """;

    private RetentionMoveBench() {
    }

    public static void main(String[] args) throws Exception {
        Integer batch = args.length > 0 ? Integer.valueOf(args[0]) : null;
        try (TestDatabases databases = TestDatabases.start(TestkitSettings.embedded());
                TestDatabase raw = databases.create();
                TestDatabase served = databases.create()) {
            System.out.println("writing 2 x " + SESSIONS + " sessions with " + PROGRESS + " progress rows and 1 feedback row each...");
            RetentionData.students(raw.dataSource(DatabaseLogin.OWNER), SESSIONS, PROGRESS);
            RetentionData.students(served.dataSource(DatabaseLogin.OWNER), SESSIONS, PROGRESS);
            long rows = RetentionData.count(raw.dataSource(DatabaseLogin.OWNER), "SELECT (SELECT count(*) FROM student_sessions) + (SELECT count(*) FROM student_progress)"
                    + " + (SELECT count(*) FROM student_feedback)");
            try (Connection owner = raw.dataSource(DatabaseLogin.OWNER).getConnection(); Statement sql = owner.createStatement()) {
                sql.execute("ALTER TABLE student_sessions DISABLE TRIGGER student_sessions_audit");
            }
            if (batch != null) {
                try (Connection owner = served.dataSource(DatabaseLogin.OWNER).getConnection(); Statement sql = owner.createStatement()) {
                    sql.execute("UPDATE data_retention_policies SET batch_size = " + batch + " WHERE table_name = 'student_sessions'");
                }
            }

            long rawNanos = RetentionData.psql(raw, RAW);
            long rawMoved = RetentionData.count(raw.dataSource(DatabaseLogin.OWNER), "SELECT (SELECT count(*) FROM student_sessions_archive)"
                    + " + (SELECT count(*) FROM student_progress_archive) + (SELECT count(*) FROM student_feedback_archive)");

            // the application's pool, as a host runs the service (a connection per call would be timed too)
            HikariDataSource pool = PooledDataSources.forApplication(DatabaseSettings.of(served.jdbcUrl(), "heroes_app",
                    served.password(DatabaseLogin.APP)));
            RetentionService service = new RetentionService(new TransactionRunner(Jdbi.create(pool).installPlugins()), Optional.empty());
            service.run(RetentionRequest.table("auth_attempts")); // warms the JVM's path through the service: nothing is due there
            long started = System.nanoTime();
            RetentionResult result = service.run(RetentionRequest.table("student_sessions"));
            long serviceNanos = System.nanoTime() - started;
            long serviceMoved = result.archived();
            pool.close();
            if (rawMoved != rows || serviceMoved != rows) {
                throw new IllegalStateException("moved " + rawMoved + " (raw) and " + serviceMoved + " (service) of " + rows + " rows");
            }
            double rawRate = rows / (rawNanos / 1e9);
            double serviceRate = rows / (serviceNanos / 1e9);
            int batches = result.tables().get(0).batches();
            System.out.printf(Locale.ROOT, "raw statements with psql, one transaction (baseline): %,d rows in %.1f s, %,.0f rows/s%n", rows,
                    rawNanos / 1e9, rawRate);
            System.out.printf(Locale.ROOT, "RetentionService, %d committed batches: %,d rows in %.1f s, %,.0f rows/s%n", batches, rows,
                    serviceNanos / 1e9, serviceRate);
            System.out.printf(Locale.ROOT, "  ratio: %.2f of the raw statements' rows/s (goal: >= 0.8)%n", serviceRate / rawRate);
        }
    }
}
