package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One retention policy with its last run ({@code retention_policy_status}): what {@code /health} reads.
 *
 * @param table the governed table
 * @param enabled whether it runs
 * @param livePeriod how long rows stay live ({@code 2 years})
 * @param totalPeriod how long they are kept in all
 * @param lastRunAt when the last run that took it started
 * @param lastOutcome that run's outcome
 * @param lastSuccessAt when the last successful run that took it finished
 * @param waitingPastPeriod whether rows have waited more than two days past their period
 */
public record PolicyStatus(String table, boolean enabled, String livePeriod, String totalPeriod, Optional<Instant> lastRunAt,
        Optional<String> lastOutcome, Optional<Instant> lastSuccessAt, boolean waitingPastPeriod) {

    /** Validates. */
    public PolicyStatus {
        requireNonNull(table, "table");
        requireNonNull(livePeriod, "livePeriod");
        requireNonNull(totalPeriod, "totalPeriod");
        requireNonNull(lastRunAt, "lastRunAt");
        requireNonNull(lastOutcome, "lastOutcome");
        requireNonNull(lastSuccessAt, "lastSuccessAt");
    }

    /** @return whether the last run that took it failed or was cut off */
    public boolean lastRunFailed() {
        return lastOutcome.filter(outcome -> outcome.equals("failed") || outcome.equals("interrupted")).isPresent();
    }
}
