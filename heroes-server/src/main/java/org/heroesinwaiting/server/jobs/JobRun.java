package org.heroesinwaiting.server.jobs;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of {@code job_runs}.
 *
 * @param id its id
 * @param jobName the job
 * @param trigger {@code scheduler} or {@code command}
 * @param instance the host and process that ran it
 * @param startedAt when it started
 * @param finishedAt when it ended, empty while it runs
 * @param outcome {@code running}, {@code succeeded}, {@code failed} or {@code skipped}
 * @param detail what it did or why it failed
 */
public record JobRun(
        long id, String jobName, String trigger, String instance, Instant startedAt,
        Optional<Instant> finishedAt, String outcome, String detail) {

    /** @return whether the run ended in failure */
    public boolean failed() {
        return "failed".equals(outcome);
    }
}
