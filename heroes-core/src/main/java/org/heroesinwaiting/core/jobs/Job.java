package org.heroesinwaiting.core.jobs;


/**
 * Work that runs on a schedule: from the server's scheduler (once across all instances) or from
 * system cron through {@code ./heroes jobs run <name>}. Implementations are idempotent: running one
 * twice, or late, does no harm.
 *
 * <pre>{@code
 * JobOutcome outcome = job.run();
 * log.info("{}: {}", job.name(), outcome.detail());
 * }</pre>
 */
public interface Job {

    /** @return a stable name, lower case with dashes ({@code expire-sessions}) */
    String name();

    /** @return one sentence on what it does, for {@code ./heroes jobs list} */
    String description();

    /**
     * @return when it runs by default: a cron expression with seconds, in the server's time zone
     *     ({@code 0 0 5 * * ?} is every day at 05:00)
     */
    String schedule();

    /**
     * Does the work as of now on the database's clock, which decides what is due (README, "Time"):
     * a job never takes a moment from the caller, so a scheduler whose clock runs ahead cannot end
     * sessions or delete data before their time. A test makes work due by dating rows in the past.
     *
     * @return what it did
     * @throws RuntimeException when it failed; nothing it did is left half done
     */
    JobOutcome run();
}
