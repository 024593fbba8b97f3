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
 * RetentionService}: DETACH from audit_log and ATTACH to audit_log_archive, which the month's own
 * CHECK constraint on its bounds spares a scan, the rows moved being the count the month was sealed
 * with), against moving the same rows one by one (a PL/pgSQL loop of single-row {@code WITH moved
 * AS (DELETE ... RETURNING *) INSERT}, run with psql in one transaction) on a second database with
 * the same month. Both months are vacuumed until every page is all-visible, as a month two years old
 * is, and the served one is sealed first by the upkeep ({@code app.seal_audit_months()}, as the
 * audit-partitions job did the month after it ended); the seal's time is printed too, with the
 * ratio the retire would have if it counted the month itself (as before {@code V022}). Runs {@code
 * rounds} rounds (default 3: this machine's noise moves a single round's ratio by half) and prints
 * each and the median ratio (goal: at least 100x faster).
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
        List<Double> counted = new ArrayList<>();
        try (TestDatabases databases = TestDatabases.start(TestkitSettings.embedded())) {
            for (int round = 1; round <= rounds; round++) {
                double[] result = round(databases, rows, round);
                ratios.add(result[0]);
                counted.add(result[1]);
            }
        }
        System.out.printf(Locale.ROOT, "median of %d rounds: %s faster (rounds: %s; goal: >= 100x)%n", rounds, median(ratios), rounds(ratios));
        System.out.printf(Locale.ROOT, "  with the seal's count in the retire, as before V022: %s (rounds: %s)%n", median(counted),
                rounds(counted));
    }

    private static String median(List<Double> ratios) {
        List<Double> sorted = new ArrayList<>(ratios);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "%.0fx", sorted.get(sorted.size() / 2));
    }

    private static List<String> rounds(List<Double> ratios) {
        return ratios.stream().map(r -> String.format(Locale.ROOT, "%.0fx", r)).toList();
    }

    /** @return the ratio of the retire, and the ratio had the retire counted the month itself */
    private static double[] round(TestDatabases databases, int rows, int round) throws Exception {
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
                long sealing = System.nanoTime();
                int sealed = Jdbi.create(pool).withHandle(handle -> handle.createQuery("SELECT app.seal_audit_months()").mapTo(Integer.class).one());
                long sealNanos = System.nanoTime() - sealing;
                if (sealed != 1) {
                    throw new IllegalStateException("the upkeep sealed " + sealed + " months, not the one written");
                }
                long started = System.nanoTime();
                RetentionResult result = service.run(RetentionRequest.table("audit_log"));
                long partitionNanos = System.nanoTime() - started;
                if (rowMoved != rows || result.archived() != rows) {
                    throw new IllegalStateException("moved " + rowMoved + " (row by row) and " + result.archived() + " (by partition) of " + rows);
                }
                double ratio = (double) rowNanos / partitionNanos;
                double withCount = (double) rowNanos / (partitionNanos + sealNanos);
                System.out.printf(Locale.ROOT, "  row by row, a PL/pgSQL loop in one transaction (baseline): %,d rows in %.1f s%n", rows,
                        rowNanos / 1e9);
                System.out.printf(Locale.ROOT, "  the upkeep's seal of the month (triggers, and its rows counted once): %.3f s%n", sealNanos / 1e9);
                System.out.printf(Locale.ROOT, "  by partition (detach, attach), %d batches: %,d rows in %.3f s (the batches %d ms)%n",
                        result.tables().get(0).batches(), rows, partitionNanos / 1e9, result.tables().get(0).took().toMillis());
                System.out.printf(Locale.ROOT, "  ratio: %.0fx faster (%.0fx with the seal's count)%n", ratio, withCount);
                return new double[] {ratio, withCount};
            }
        }
    }
}
