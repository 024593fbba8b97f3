package org.heroesinwaiting.bench.retention;

import com.zaxxer.hikari.HikariDataSource;
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
 * Retiring one month of {@code audit_log} holding a million rows: by partition ({@link
 * RetentionService}: the rows counted for the record, then DETACH from audit_log and ATTACH to
 * audit_log_archive, which the month's own CHECK constraint on its bounds spares a scan), against
 * moving the same rows one by one (a PL/pgSQL loop of single-row {@code WITH moved AS (DELETE ...
 * RETURNING *) INSERT}, run with psql in one transaction) on a second database with the same month.
 * Both months are vacuumed until every page is all-visible, as a month two years old is. Runs
 * {@code rounds} rounds (default 3: this machine's noise moves a single round's ratio by half) and
 * prints each and the median ratio (goal: at least 100x faster).
 *
 * <pre>
 * java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.retention.AuditRetireBench [rows] [rounds]
 * </pre>
 */
public final class AuditRetireBench {

    private static final int ROWS = 1_000_000;

    private AuditRetireBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : ROWS;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Double> ratios = new ArrayList<>();
        try (TestDatabases databases = TestDatabases.start(TestkitSettings.embedded())) {
            for (int round = 1; round <= rounds; round++) {
                ratios.add(round(databases, rows, round));
            }
        }
        Collections.sort(ratios);
        System.out.printf(Locale.ROOT, "median of %d rounds: %.0fx faster (rounds: %s; goal: >= 100x)%n", rounds,
                ratios.get(ratios.size() / 2), ratios.stream().map(r -> String.format(Locale.ROOT, "%.0fx", r)).toList());
    }

    private static double round(TestDatabases databases, int rows, int round) throws Exception {
        try (TestDatabase raw = databases.create(); TestDatabase served = databases.create()) {
            System.out.println("round " + round + ": writing 2 x " + rows + " audit rows in the month 26 months ago...");
            String partition = RetentionData.auditMonth(raw.dataSource(DatabaseLogin.OWNER), rows);
            RetentionData.auditMonth(served.dataSource(DatabaseLogin.OWNER), rows);

            long rowNanos = RetentionData.psql(raw, """
                    SELECT app.ensure_audit_archive_partition(date_trunc('month', (now() - interval '26 months') AT TIME ZONE 'UTC'));
                    DO $$
                    DECLARE
                        r record;
                    BEGIN
                        FOR r IN SELECT id, occurred_at FROM public.%s LOOP
                            WITH moved AS (DELETE FROM public.audit_log a WHERE a.id = r.id AND a.occurred_at = r.occurred_at RETURNING a.*)
                            INSERT INTO public.audit_log_archive SELECT * FROM moved;
                        END LOOP;
                    END
                    $$;
                    """.formatted(partition));
            long rowMoved = RetentionData.count(raw.dataSource(DatabaseLogin.OWNER), "SELECT count(*) FROM audit_log_archive");

            // the application's pool, as a host runs the service (a connection per call would be timed too)
            try (HikariDataSource pool = PooledDataSources.forApplication(DatabaseSettings.of(served.jdbcUrl(), "heroes_app",
                    served.password(DatabaseLogin.APP)))) {
                RetentionService service = new RetentionService(new TransactionRunner(Jdbi.create(pool).installPlugins()), Optional.empty());
                service.run(RetentionRequest.table("auth_attempts")); // warms the JVM's path through the service: nothing is due there
                long started = System.nanoTime();
                RetentionResult result = service.run(RetentionRequest.table("audit_log"));
                long partitionNanos = System.nanoTime() - started;
                if (rowMoved != rows || result.archived() != rows) {
                    throw new IllegalStateException("moved " + rowMoved + " (row by row) and " + result.archived() + " (by partition) of " + rows);
                }
                double ratio = (double) rowNanos / partitionNanos;
                System.out.printf(Locale.ROOT, "  row by row, a PL/pgSQL loop in one transaction (baseline): %,d rows in %.1f s%n", rows,
                        rowNanos / 1e9);
                System.out.printf(Locale.ROOT, "  by partition (count, detach, attach), %d batches: %,d rows in %.3f s (the batches %d ms)%n",
                        result.tables().get(0).batches(), rows, partitionNanos / 1e9, result.tables().get(0).took().toMillis());
                System.out.printf(Locale.ROOT, "  ratio: %.0fx faster%n", ratio);
                return ratio;
            }
        }
    }
}
