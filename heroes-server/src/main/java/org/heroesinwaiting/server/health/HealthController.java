package org.heroesinwaiting.server.health;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.heroesinwaiting.server.http.Controller;

/**
 * {@code GET /health}: {@code {"status": "UP", "checks": {"database": {"status": "UP", "detail": "..."}}}},
 * 200 unless a part is DOWN, then 503. The checks run side by side and each gets
 * {@link #CHECK_TIMEOUT}: a database that does not answer makes the report DOWN quickly, not slowly.
 * A report serves every caller for {@link #REPORT_TTL}, so a monitor polling hard, or many at
 * once, never adds load on the database.
 */
public final class HealthController implements Controller {

    /** How long one check may take before it counts as DOWN. */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    /** How long one report answers every caller. */
    public static final Duration REPORT_TTL = Duration.ofSeconds(1);

    private final List<HealthCheck> checks;
    private final Duration reportTtl;
    private final ExecutorService executor;
    private Map<String, Object> lastReport;
    private long lastReportAt;

    /**
     * @param checks the parts to report on
     */
    public HealthController(List<HealthCheck> checks) {
        this(checks, REPORT_TTL);
    }

    /**
     * @param checks the parts to report on
     * @param reportTtl how long one report answers every caller
     */
    public HealthController(List<HealthCheck> checks, Duration reportTtl) {
        this.checks = List.copyOf(checks);
        this.reportTtl = reportTtl;
        this.executor = Executors.newFixedThreadPool(Math.max(1, this.checks.size()), runnable -> {
            Thread thread = new Thread(runnable, "heroes-health-check");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/health", this::health);
    }

    /** @return every check's result and the overall status, no older than the report's time to live */
    public synchronized Map<String, Object> report() {
        long now = System.nanoTime();
        if (lastReport == null || now - lastReportAt > reportTtl.toNanos()) {
            lastReport = freshReport();
            lastReportAt = System.nanoTime();
        }
        return lastReport;
    }

    private Map<String, Object> freshReport() {
        List<Future<CheckResult>> running = checks.stream().map(check -> executor.submit(check::check)).toList();
        long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
        HealthStatus overall = HealthStatus.UP;
        Map<String, Object> parts = new LinkedHashMap<>();
        for (int i = 0; i < checks.size(); i++) {
            HealthCheck check = checks.get(i);
            CheckResult result;
            try {
                result = running.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                running.get(i).cancel(true);
                result = CheckResult.down("no answer within " + CHECK_TIMEOUT.toSeconds() + " s");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                result = CheckResult.down(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result = CheckResult.down("interrupted");
            }
            overall = overall.worst(result.status());
            parts.put(check.name(), result);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", overall);
        report.put("checks", parts);
        return report;
    }

    private void health(Context ctx) {
        Map<String, Object> report = report();
        ctx.header("Cache-Control", "no-store");
        ctx.status(report.get("status") == HealthStatus.DOWN ? 503 : 200).json(report);
    }
}
