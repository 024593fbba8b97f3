package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobFailedException;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.BackupFailedException;
import org.heroesinwaiting.retention.backup.BackupFormat;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupRequest;
import org.heroesinwaiting.retention.backup.BackupResult;
import org.heroesinwaiting.retention.backup.BackupService;
import org.heroesinwaiting.retention.backup.CleanupResult;

/**
 * Runs the rows of {@code backup_schedules} (the guide's weekly full backup, monthly archive and
 * weekly cleanup) as they fall due: every five minutes it asks {@code app.backups_due()} which
 * schedules fired in the last six hours without being started, each claimed as it is returned, and
 * runs them; first it marks failed each backup or restore whose process died ({@code
 * app.backups_reap()}). So a schedule a DBA edits takes effect without a restart, a server that was down at
 * 01:00 makes the backup when it is back, and a fire time is never run twice.
 */
public final class BackupScheduleJob implements Job {

    /** The job's name, for {@code ./heroes jobs run backups}. */
    public static final String NAME = "backups";

    private final TransactionRunner transactions;
    private final BackupService backups;

    /**
     * @param transactions transactions on the application login
     * @param backups makes the backups
     */
    public BackupScheduleJob(TransactionRunner transactions, BackupService backups) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.backups = requireNonNull(backups, "backups");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Makes the backups of backup_schedules that are due (weekly full, monthly archive) and runs the weekly cleanup.";
    }

    @Override
    public String schedule() {
        return "0 */5 * * * ?";
    }

    /** A schedule that is due. */
    record Due(String schedule, String kind) {
    }

    @Override
    public JobOutcome run() {
        // a backup or restore whose process died (a crash, a kill) is running no more: say so first
        long abandoned = transactions.selfContained(handle -> handle.createQuery("SELECT count(*) FROM app.backups_reap()").mapTo(Long.class).one());
        List<Due> due = transactions.selfContained(handle -> handle.createQuery("SELECT schedule, kind FROM app.backups_due()")
                .map((rs, ctx) -> new Due(rs.getString(1), rs.getString(2))).list());
        List<String> done = new ArrayList<>();
        List<BackupFailedException> failures = new ArrayList<>();
        long made = 0;
        long deleted = 0;
        for (Due schedule : due) {
            if (schedule.kind().equals("cleanup")) {
                CleanupResult cleanup = backups.cleanup();
                deleted += cleanup.deleted().size();
                done.add(schedule.schedule() + ": " + cleanup.deleted().size() + " deleted");
                continue;
            }
            try {
                BackupResult backup = backups.run(new BackupRequest(BackupKind.fromWire(schedule.kind()), BackupFormat.CUSTOM,
                        Optional.of(schedule.schedule())));
                made++;
                done.add(schedule.schedule() + ": backup " + backup.id());
            } catch (BackupFailedException e) {
                failures.add(e);
                done.add(schedule.schedule() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            JobFailedException failed = new JobFailedException(NAME, failures.get(0));
            failures.stream().skip(1).forEach(failed::addSuppressed);
            throw failed;
        }
        if (abandoned > 0) {
            done.add(abandoned + " abandoned backups or restores marked failed");
        }
        return JobOutcome.of(done.isEmpty() ? "no backup schedule is due" : String.join("; ", done))
                .withCount("backups", made).withCount("deleted", deleted).withCount("abandoned", abandoned);
    }
}
