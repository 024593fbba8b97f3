package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobFailedException;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.retention.recovery.RecoveryWorker;

/**
 * Every minute, executes the recovery requests an admin approved ({@link RecoveryWorker}). A
 * failed recovery fails the job, after the others have run, so that it shows in the job history.
 */
public final class RecoveryJob implements Job {

    /** The job's name. */
    public static final String NAME = "recoveries";

    private final RecoveryWorker worker;

    /** @param worker executes the approved requests */
    public RecoveryJob(RecoveryWorker worker) {
        this.worker = requireNonNull(worker, "worker");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Executes the recovery requests an admin approved (every minute).";
    }

    @Override
    public String schedule() {
        return "0 * * * * ?";
    }

    @Override
    public JobOutcome run() {
        RecoveryWorker.Run run = worker.runApproved();
        if (!run.failed().isEmpty()) {
            throw new JobFailedException(NAME, new IllegalStateException(String.join("; ", run.failed())
                    + (run.done().isEmpty() ? "" : " (done: " + String.join("; ", run.done()) + ")")));
        }
        return JobOutcome.of(run.done().isEmpty() ? "no approved recovery waiting" : String.join("; ", run.done()))
                .withCount("recoveries", run.done().size());
    }
}
