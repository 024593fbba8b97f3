package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobFailedException;
import org.heroesinwaiting.core.jobs.JobOutcome;

/**
 * The deployment guide's daily retention (05:00): every governed table as of the database's now(),
 * in committed batches until nothing is due.
 */
public final class RetentionJob implements Job {

    /** The job's name, for {@code ./heroes jobs run retention}. */
    public static final String NAME = "retention";

    private final RetentionService retention;

    /** @param retention the service */
    public RetentionJob(RetentionService retention) {
        this.retention = requireNonNull(retention, "retention");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Moves rows past their live period to the archive tables and deletes archived rows past the total period (data_retention_policies).";
    }

    @Override
    public String schedule() {
        return "0 0 5 * * ?";
    }

    @Override
    public JobOutcome run() {
        try {
            RetentionResult result = retention.run(RetentionRequest.all());
            return JobOutcome.of(result.summary()).withCount("archived", result.archived()).withCount("purged", result.purged());
        } catch (RetentionInProgressException e) {
            // a DBA's CALL run_data_retention() does the same work: nothing is left undone
            return JobOutcome.of("another retention run was in progress, and does the work: " + e.getMessage());
        } catch (RetentionFailedException e) {
            throw new JobFailedException(NAME, e);
        }
    }
}
