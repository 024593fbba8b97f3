package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
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
import org.heroesinwaiting.retention.physical.PhysicalBackupException;
import org.heroesinwaiting.retention.physical.PhysicalBackupService;
import org.heroesinwaiting.retention.physical.PhysicalCleanupResult;
import org.heroesinwaiting.retention.recovery.PointInTimeRecovery;
import org.heroesinwaiting.retention.recovery.Verification;

/**
 * Runs the rows of {@code backup_schedules} (the guide's weekly full backup, monthly archive and
 * weekly cleanup, and with pgBackRest the weekly physical full, the dailies and {@code pgbackrest
 * verify}) as they fall due: every five minutes it asks {@code app.backups_due()} which
 * schedules fired in the last six hours without being started, each claimed as it is returned, and
 * runs them; first it marks failed each backup or restore whose process died ({@code
 * app.backups_reap()}). So a schedule a DBA edits takes effect without a restart, a server that was down at
 * 01:00 makes the backup when it is back, and a fire time is never run twice. Without pgBackRest a
 * physical schedule that falls due is noted in the run's outcome, not failed: the health report
 * counts it missed, and {@code /health} says physical backups are off.
 */
public final class BackupScheduleJob implements Job {

    /** The job's name, for {@code ./heroes jobs run backups}. */
    public static final String NAME = "backups";

    private final TransactionRunner transactions;
    private final BackupService backups;
    private final Optional<PhysicalBackupService> physical;
    private final Optional<PointInTimeRecovery> drills;

    /**
     * @param transactions transactions on the application login
     * @param backups makes the logical backups
     * @param physical makes the physical ones, when pgBackRest is set up
     * @param drills restores the newest physical backup after {@code pgbackrest verify}, when a superuser is given too
     */
    public BackupScheduleJob(TransactionRunner transactions, BackupService backups, Optional<PhysicalBackupService> physical,
            Optional<PointInTimeRecovery> drills) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.backups = requireNonNull(backups, "backups");
        this.physical = requireNonNull(physical, "physical");
        this.drills = requireNonNull(drills, "drills");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Makes the backups of backup_schedules that are due (weekly full, monthly archive, and with pgBackRest the weekly"
                + " physical full and the dailies), runs pgbackrest verify and the weekly cleanup.";
    }

    @Override
    public String schedule() {
        return "0 */5 * * * ?";
    }

    /** A schedule that is due. */
    record Due(String schedule, String kind) {
    }

    /** Restores the newest physical backup into a scratch copy and checks it, when a superuser is given. */
    private String drillNewest() {
        if (drills.isEmpty()) {
            return "";
        }
        Optional<Long> newest = transactions.selfContained(handle -> handle.createQuery("""
                SELECT id FROM backup_log WHERE format = 'pgbackrest' AND status = 'succeeded' ORDER BY started_at DESC, id DESC LIMIT 1""")
                .mapTo(Long.class).findOne());
        if (newest.isEmpty()) {
            return "; no physical backup to drill yet";
        }
        Verification drill = drills.get().drill(newest.get());
        if (!drill.passed()) {
            throw new PhysicalBackupException("physical backup " + newest.get() + " failed its restore drill: "
                    + String.join("; ", drill.findings()), 0, null);
        }
        return "; physical backup " + newest.get() + " passed its restore drill (" + drill.tablesCompared() + " tables)";
    }

    /** What the physical service did, or that physical backups are off and what to install. */
    private String physicalOrOff(Function<PhysicalBackupService, String> work) {
        return physical.map(work).orElse("physical backups are off (pgBackRest is not set up: install Debian's pgbackrest package)");
    }

    @Override
    public JobOutcome run() {
        // a backup or restore whose process died (a crash, a kill) is running no more: say so first
        long abandoned = transactions.selfContained(handle -> handle.createQuery("SELECT count(*) FROM app.backups_reap()").mapTo(Long.class).one());
        List<Due> due = transactions.selfContained(handle -> handle.createQuery("SELECT schedule, kind FROM app.backups_due()")
                .map((rs, ctx) -> new Due(rs.getString(1), rs.getString(2))).list());
        List<String> done = new ArrayList<>();
        List<RuntimeException> failures = new ArrayList<>();
        long made = 0;
        long deleted = 0;
        for (Due schedule : due) {
            try {
                switch (schedule.kind()) {
                    case "cleanup" -> {
                        CleanupResult cleanup = backups.cleanup();
                        deleted += cleanup.deleted().size();
                        String physicalDeleted = physical.map(service -> {
                            PhysicalCleanupResult expired = service.cleanup();
                            expired.failures().forEach(failure -> failures.add(new PhysicalBackupException(failure, -1, null)));
                            return ", " + expired.deleted().size() + " physical expired"
                                    + (expired.released().isEmpty() ? "" : ", " + expired.released().size() + " retiring repositories released");
                        }).orElse("");
                        done.add(schedule.schedule() + ": " + cleanup.deleted().size() + " deleted" + physicalDeleted);
                    }
                    case "verify" -> done.add(schedule.schedule() + ": " + physicalOrOff(service -> {
                        List<String> findings = service.verify();
                        if (!findings.isEmpty()) {
                            throw new PhysicalBackupException("pgbackrest verify found: " + String.join("; ", findings), 0, null);
                        }
                        return "the repository is whole" + drillNewest();
                    }));
                    case "physical-full", "daily" -> {
                        String outcome = physicalOrOff(service -> "backup "
                                + service.run(BackupKind.fromWire(schedule.kind()), Optional.of(schedule.schedule())).id());
                        made += outcome.startsWith("backup ") ? 1 : 0;
                        done.add(schedule.schedule() + ": " + outcome);
                    }
                    default -> {
                        BackupResult backup = backups.run(new BackupRequest(BackupKind.fromWire(schedule.kind()), BackupFormat.CUSTOM,
                                Optional.of(schedule.schedule())));
                        made++;
                        done.add(schedule.schedule() + ": backup " + backup.id());
                    }
                }
            } catch (BackupFailedException | PhysicalBackupException e) {
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
