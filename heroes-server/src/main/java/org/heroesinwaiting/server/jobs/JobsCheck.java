package org.heroesinwaiting.server.jobs;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobCatalog;
import org.heroesinwaiting.server.health.CheckResult;
import org.heroesinwaiting.server.health.HealthCheck;

/**
 * {@code jobs} in {@code GET /health}: DOWN when the scheduler does not run, DEGRADED when a job's
 * latest run failed.
 */
public final class JobsCheck implements HealthCheck {

    private final JobCatalog catalog;
    private final JobRunner runner;
    private final BooleanSupplier schedulerRunning;

    /**
     * @param catalog the jobs
     * @param runner where runs are recorded
     * @param schedulerRunning whether the scheduler polls
     */
    public JobsCheck(JobCatalog catalog, JobRunner runner, BooleanSupplier schedulerRunning) {
        this.catalog = requireNonNull(catalog, "catalog");
        this.runner = requireNonNull(runner, "runner");
        this.schedulerRunning = requireNonNull(schedulerRunning, "schedulerRunning");
    }

    @Override
    public String name() {
        return "jobs";
    }

    @Override
    public CheckResult check() {
        if (!schedulerRunning.getAsBoolean()) {
            return CheckResult.down("the job scheduler is not running");
        }
        List<String> failing = new ArrayList<>();
        for (Job job : catalog.jobs()) {
            runner.lastRun(job.name()).filter(JobRun::failed).ifPresent(run -> failing.add(job.name() + ": " + run.detail()));
        }
        if (!failing.isEmpty()) {
            return CheckResult.degraded("latest run failed: " + String.join("; ", failing));
        }
        return CheckResult.up(catalog.jobs().size() + " jobs scheduled");
    }
}
