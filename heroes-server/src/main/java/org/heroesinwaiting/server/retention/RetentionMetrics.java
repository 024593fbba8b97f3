package org.heroesinwaiting.server.retention;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.heroesinwaiting.retention.PolicyStatus;
import org.heroesinwaiting.retention.RetentionService;
import org.heroesinwaiting.retention.TableTotals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention in {@code /metrics}: {@code heroes_retention_rows_total{table, action="archived"|"purged"}}
 * (every recorded run, including a DBA's from psql) and {@code heroes_retention_last_success_seconds}
 * (when the last successful run finished, seconds since the epoch). Read from the database at most
 * once every 30 seconds, whoever scrapes.
 */
public final class RetentionMetrics implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionMetrics.class);
    private static final Duration FRESH = Duration.ofSeconds(30);

    private final RetentionService retention;
    private Snapshot snapshot = new Snapshot(Instant.MIN, Map.of(), Optional.empty());

    private record Snapshot(Instant read, Map<String, TableTotals> totals, Optional<Instant> lastSuccess) {
    }

    /** @param retention the service */
    public RetentionMetrics(RetentionService retention) {
        this.retention = requireNonNull(retention, "retention");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (TableTotals table : current().totals().values()) {
            String name = table.table();
            FunctionCounter.builder("heroes.retention.rows", this, metrics -> rows(metrics.current(), name, true))
                    .tags("table", name, "action", "archived").description("rows moved to the archive tables").register(registry);
            FunctionCounter.builder("heroes.retention.rows", this, metrics -> rows(metrics.current(), name, false))
                    .tags("table", name, "action", "purged").description("rows deleted past their period").register(registry);
        }
        TimeGauge.builder("heroes.retention.last.success", this, TimeUnit.SECONDS,
                metrics -> metrics.current().lastSuccess().map(at -> (double) at.getEpochSecond()).orElse(Double.NaN))
                .description("when the last successful retention run finished").register(registry);
    }

    private synchronized Snapshot current() {
        Instant now = Instant.now();
        if (snapshot.read().isBefore(now.minus(FRESH))) {
            try {
                Map<String, TableTotals> totals = retention.totals().stream()
                        .collect(Collectors.toMap(TableTotals::table, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
                List<PolicyStatus> policies = retention.policies();
                Optional<Instant> last = policies.stream().map(PolicyStatus::lastSuccessAt).flatMap(Optional::stream)
                        .max(java.util.Comparator.naturalOrder());
                snapshot = new Snapshot(now, totals, last);
            } catch (RuntimeException e) {
                // a scrape must not fail for a database that is away: the last values stay
                LOG.debug("retention metrics not refreshed: {}", e.getMessage());
            }
        }
        return snapshot;
    }

    private static double rows(Snapshot snapshot, String table, boolean archived) {
        TableTotals totals = snapshot.totals().get(table);
        return totals == null ? 0 : archived ? totals.archived() : totals.purged();
    }
}
