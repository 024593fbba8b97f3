package org.heroesinwaiting.server.health;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heroesinwaiting.server.http.Controller;

/**
 * {@code GET /health}: {@code {"status": "UP", "checks": {"database": {"status": "UP", "detail": "..."}}}},
 * 200 unless a part is DOWN, then 503.
 */
public final class HealthController implements Controller {

    private final List<HealthCheck> checks;

    /**
     * @param checks the parts to report on
     */
    public HealthController(List<HealthCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/health", this::health);
    }

    /** @return every check's result and the overall status */
    public Map<String, Object> report() {
        HealthStatus overall = HealthStatus.UP;
        Map<String, Object> parts = new LinkedHashMap<>();
        for (HealthCheck check : checks) {
            CheckResult result;
            try {
                result = check.check();
            } catch (RuntimeException e) {
                result = CheckResult.down(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            overall = overall.worst(result.status());
            parts.put(check.name(), Map.of("status", result.status(), "detail", result.detail()));
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
