package org.heroesinwaiting.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints each one's ratio against its baseline, measured in the same run:
 *
 * <pre>
 * java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.Ratios
 * </pre>
 */
public final class Ratios {

    /**
     * Benchmark, then its baseline: the ratio is baseline time / benchmark time (above 1: faster
     * than the baseline; below 1: the share of the baseline's speed it keeps).
     */
    private static final String[][] PAIRS = {
        {"FreshDatabaseBenchmark.copyOfTemplate", "FreshDatabaseBenchmark.bootstrapAndMigrate"},
        {"EmbeddedStartBenchmark.warmStart", "EmbeddedStartBenchmark.coldStart"},
        {"AuditTriggerBenchmark.singleRowAudited", "AuditTriggerBenchmark.singleRowPlain"},
        {"AuditTriggerBenchmark.batchAudited", "AuditTriggerBenchmark.batchPlain"},
        {"JwtVerificationBenchmark.productVerifier", "JwtVerificationBenchmark.bareMacVerifier"},
        {"JwtVerificationBenchmark.productVerifierFirstSight", "JwtVerificationBenchmark.bareMacVerifier"},
    };

    private Ratios() {
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(args.length > 0 ? args[0] : "org.heroesinwaiting.bench.*")
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(3))
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            byName.put(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), result);
        }
        System.out.println();
        for (String[] pair : PAIRS) {
            RunResult measured = byName.get(pair[0]);
            RunResult baseline = byName.get(pair[1]);
            if (measured == null || baseline == null) {
                continue;
            }
            double m = measured.getPrimaryResult().getScore();
            double b = baseline.getPrimaryResult().getScore();
            System.out.printf(Locale.ROOT, "%-45s %9.2f ± %.2f %s%n", pair[0], m,
                    measured.getPrimaryResult().getScoreError(), measured.getPrimaryResult().getScoreUnit());
            System.out.printf(Locale.ROOT, "%-45s %9.2f ± %.2f %s%n", pair[1] + " (baseline)", b,
                    baseline.getPrimaryResult().getScoreError(), baseline.getPrimaryResult().getScoreUnit());
            System.out.printf(Locale.ROOT, "%-45s %9.1fx%n%n", "ratio (baseline / measured)", b / m);
        }
    }
}
