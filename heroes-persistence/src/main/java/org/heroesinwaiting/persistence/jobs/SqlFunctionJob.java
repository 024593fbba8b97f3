package org.heroesinwaiting.persistence.jobs;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobFailedException;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.persistence.TransactionRunner;

/**
 * A job that is one call of a SECURITY DEFINER SQL function {@code f(as_of timestamptz DEFAULT now())}, called
 * without its argument so that the database's clock decides what is due, returning
 * {@code (kind text, <count> bigint)} rows, run as the system actor through
 * {@link TransactionRunner} (so a deadlock with a request is retried). Its outcome counts each kind.
 * On a schema older than the function it reports that it had nothing to do.
 *
 * <pre>{@code
 * Job expire = SqlFunctionJob.of("expire-sessions", "Ends sessions past their expiry.", "0 *&#47;15 * * * ?",
 *         "app.expire_sessions", "expired", transactions);
 * }</pre>
 */
public final class SqlFunctionJob implements Job {

    private final String name;
    private final String description;
    private final String schedule;
    private final String function;
    private final String verb;
    private final TransactionRunner transactions;

    private SqlFunctionJob(String name, String description, String schedule, String function, String verb,
            TransactionRunner transactions) {
        this.name = requireNonNull(name, "name");
        this.description = requireNonNull(description, "description");
        this.schedule = requireNonNull(schedule, "schedule");
        this.function = requireNonNull(function, "function");
        this.verb = requireNonNull(verb, "verb");
        this.transactions = requireNonNull(transactions, "transactions");
    }

    /**
     * @param name the job's name ({@code expire-sessions})
     * @param description one sentence on what it does
     * @param schedule its cron expression with seconds
     * @param function the SQL function ({@code app.expire_sessions})
     * @param verb what the outcome says was done ({@code expired})
     * @param transactions on the application login
     * @return the job
     */
    public static SqlFunctionJob of(String name, String description, String schedule, String function, String verb,
            TransactionRunner transactions) {
        return new SqlFunctionJob(name, description, schedule, function, verb, transactions);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String schedule() {
        return schedule;
    }

    @Override
    public JobOutcome run() {
        try {
            return transactions.inTransaction(ActorContext.system(null), handle -> {
                JobDao jobs = handle.attach(JobDao.class);
                if (!jobs.exists(function + "(timestamptz)")) {
                    return JobOutcome.of("nothing to do: " + function + " does not exist yet");
                }
                List<JobDao.Count> counts = jobs.call(function);
                JobOutcome outcome = JobOutcome.of(counts.isEmpty() ? verb + " nothing"
                        : verb + " " + String.join(", ", counts.stream().map(c -> c.count() + " " + c.kind()).toList()));
                for (JobDao.Count count : counts) {
                    outcome = outcome.withCount(count.kind(), count.count());
                }
                return outcome;
            });
        } catch (RuntimeException e) {
            throw new JobFailedException(name, e);
        }
    }
}
