package org.heroesinwaiting.server.retention;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.heroesinwaiting.retention.PolicyStatus;
import org.heroesinwaiting.retention.RetentionService;
import org.heroesinwaiting.server.health.CheckResult;
import org.heroesinwaiting.server.health.HealthCheck;

/**
 * {@code retention} in {@code GET /health}: DEGRADED when the last run of a table failed, or when
 * rows have waited more than two days past their period (the daily run is not happening).
 */
public final class RetentionCheck implements HealthCheck {

    private final RetentionService retention;

    /** @param retention the service */
    public RetentionCheck(RetentionService retention) {
        this.retention = requireNonNull(retention, "retention");
    }

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public CheckResult check() {
        List<PolicyStatus> policies = retention.policies();
        List<String> failed = policies.stream().filter(PolicyStatus::lastRunFailed).map(PolicyStatus::table).toList();
        List<String> waiting = policies.stream().filter(PolicyStatus::waitingPastPeriod).map(PolicyStatus::table).toList();
        if (!failed.isEmpty()) {
            return CheckResult.degraded("the last retention run failed for " + String.join(", ", failed)
                    + ": see SELECT * FROM retention_policy_status, then run ./heroes retention run");
        }
        if (!waiting.isEmpty()) {
            return CheckResult.degraded("rows wait more than two days past their period in " + String.join(", ", waiting)
                    + ": is the daily retention job running? ./heroes retention run works it off");
        }
        return CheckResult.up(policies.stream().map(PolicyStatus::lastSuccessAt).flatMap(Optional::stream).max(Comparator.naturalOrder())
                .map(last -> "last successful run finished " + last).orElse("no run yet, and nothing waits past its period"));
    }
}
