package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobFailedException;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.recovery.RestoreService;
import org.heroesinwaiting.retention.recovery.Verification;

/**
 * The weekly restore drill: verifies the newest full backup (checksum, contents, a restore into a
 * scratch database compared table by table, pg_amcheck) and records the outcome on it. A drill that
 * fails fails the job, so that it shows in the job history and on {@code /health}.
 */
public final class BackupDrillJob implements Job {

    /** The job's name, for {@code ./heroes jobs run backup-drill}. */
    public static final String NAME = "backup-drill";

    private final TransactionRunner transactions;
    private final RestoreService restores;

    /**
     * @param transactions transactions on the application login
     * @param restores runs the drill
     */
    public BackupDrillJob(TransactionRunner transactions, RestoreService restores) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.restores = requireNonNull(restores, "restores");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Verifies the newest full backup by restoring it into a scratch database (Sundays at 04:00, after the 01:00 backup).";
    }

    @Override
    public String schedule() {
        return "0 0 4 ? * SUN";
    }

    @Override
    public JobOutcome run() {
        Optional<Long> newest = transactions.selfContained(handle -> handle.createQuery("""
                SELECT id FROM backup_log WHERE kind = 'full' AND status = 'succeeded' ORDER BY started_at DESC, id DESC LIMIT 1""")
                .mapTo(Long.class).findOne());
        if (newest.isEmpty()) {
            return JobOutcome.of("no full backup to verify yet");
        }
        Verification verification = restores.verify(newest.get());
        if (!verification.passed()) {
            throw new JobFailedException(NAME, new IllegalStateException("backup " + newest.get() + " failed its restore drill: "
                    + String.join("; ", verification.findings())));
        }
        return JobOutcome.of("backup " + newest.get() + " passed its restore drill (" + verification.tablesCompared() + " tables)")
                .withCount("tables", verification.tablesCompared());
    }
}
