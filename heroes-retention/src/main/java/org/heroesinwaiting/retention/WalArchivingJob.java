package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.retention.physical.WalArchiveSample;
import org.heroesinwaiting.retention.physical.WalArchiving;

/**
 * Samples WAL archiving every minute ({@code app.wal_archive_sample()}) so that the health report,
 * {@code /health} and {@code /metrics} read a measured recovery point: whether archiving fails, and
 * the age of the oldest segment not yet archived. A failing archive does not fail the job: the job
 * measured it, and the sample says so.
 */
public final class WalArchivingJob implements Job {

    /** The job's name, for {@code ./heroes jobs run wal-archiving}. */
    public static final String NAME = "wal-archiving";

    private final WalArchiving archiving;

    /** @param archiving samples and records */
    public WalArchivingJob(WalArchiving archiving) {
        this.archiving = requireNonNull(archiving, "archiving");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Samples WAL archiving (pg_stat_archiver, segments waiting in pg_wal) every minute for the health report and /health.";
    }

    @Override
    public String schedule() {
        return "0 * * * * ?";
    }

    @Override
    public JobOutcome run() {
        WalArchiveSample sample = archiving.sample();
        String state = !sample.archiving() ? "archive_mode is off"
                : sample.failing() ? "failing since " + sample.lastFailedAt().orElseThrow() + " (segment " + sample.lastFailedWal().orElse("?") + ")"
                : "archiving";
        return JobOutcome.of(state + "; " + sample.pendingSegments() + " segments waiting, the oldest for "
                + sample.oldestUnarchivedAge().toSeconds() + " s")
                .withCount("pending", sample.pendingSegments()).withCount("oldest_unarchived_seconds", sample.oldestUnarchivedAge().toSeconds());
    }
}
