package org.heroesinwaiting.persistence.analytics;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobFailedException;
import org.heroesinwaiting.core.jobs.JobOutcome;

/** The nightly refresh of the analytics rollups ({@link AnalyticsService#refresh()}), once across all instances. */
public final class AnalyticsRefreshJob implements Job {

    /** The job's name. */
    public static final String NAME = "analytics-refresh";

    private final AnalyticsService analytics;

    /**
     * @param analytics the service it runs
     */
    public AnalyticsRefreshJob(AnalyticsService analytics) {
        this.analytics = requireNonNull(analytics, "analytics");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Recomputes the analytics rollups of the periods that received rows (counts only; the views apply suppression).";
    }

    @Override
    public String schedule() {
        return "0 15 4 * * ?";
    }

    @Override
    public JobOutcome run() {
        try {
            List<RollupRefresh> refreshed = analytics.refresh();
            JobOutcome outcome = JobOutcome.of(String.join(", ", refreshed.stream()
                    .map(r -> r.rollup().replace("analytics_", "").replace("_rollup", "") + " " + r.periods() + " periods, " + r.cells() + " cells")
                    .toList()));
            for (RollupRefresh r : refreshed) {
                outcome = outcome.withCount(r.rollup().replace("analytics_", "").replace("_rollup", "") + "_cells", r.cells());
            }
            return outcome;
        } catch (RuntimeException e) {
            throw new JobFailedException(NAME, e);
        }
    }
}
