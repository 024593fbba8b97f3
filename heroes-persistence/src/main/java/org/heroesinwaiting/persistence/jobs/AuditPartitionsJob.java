package org.heroesinwaiting.persistence.jobs;

import static java.util.Objects.requireNonNull;

import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobFailedException;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.persistence.TransactionRunner;

/**
 * Creates the coming months' {@code audit_log} partitions ({@code app.ensure_audit_partitions}),
 * moves whatever waits in the default partition into its month's, and seals the months that have
 * ended ({@code app.seal_audit_months}: their rows no longer change, and are counted once, so that
 * retention retires them two years on without a scan). Runs monthly; running it more often is
 * harmless. Without it audited writes still succeed: their rows wait in the default
 * partition, and {@code /health} says so.
 */
public final class AuditPartitionsJob implements Job {

    /** The job's name. */
    public static final String NAME = "audit-partitions";

    /** How many months past the current one always have their partition. */
    public static final int MONTHS_AHEAD = 3;

    private final TransactionRunner transactions;

    /**
     * @param transactions on the application login
     */
    public AuditPartitionsJob(TransactionRunner transactions) {
        this.transactions = requireNonNull(transactions, "transactions");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Creates the audit log's partitions for this month and the next " + MONTHS_AHEAD + ", and seals the months that have ended.";
    }

    @Override
    public String schedule() {
        return "0 30 2 1 * ?";
    }

    @Override
    public JobOutcome run() {
        try {
            // self-contained: the function commits month by month in subtransactions of its own
            int created = transactions.selfContained(handle -> handle.attach(JobDao.class).ensureAuditPartitions(MONTHS_AHEAD));
            int sealed = transactions.selfContained(handle -> handle.attach(JobDao.class).sealAuditMonths());
            return JobOutcome.of((created == 0 ? "every partition through " + MONTHS_AHEAD + " months ahead exists"
                    : "created " + created + " partition" + (created == 1 ? "" : "s"))
                    + (sealed == 0 ? "" : "; sealed " + sealed + " closed month" + (sealed == 1 ? "" : "s")))
                    .withCount("partitions_created", created).withCount("months_sealed", sealed);
        } catch (RuntimeException e) {
            throw new JobFailedException(NAME, e);
        }
    }
}
