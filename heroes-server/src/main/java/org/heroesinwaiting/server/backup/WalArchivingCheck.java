package org.heroesinwaiting.server.backup;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.heroesinwaiting.retention.physical.PhysicalBackupException;
import org.heroesinwaiting.retention.physical.WalArchiveSample;
import org.heroesinwaiting.retention.physical.WalArchiving;
import org.heroesinwaiting.server.health.CheckResult;
import org.heroesinwaiting.server.health.HealthCheck;

/**
 * {@code wal-archiving} in {@code GET /health}: with physical backups off, UP saying why and what to
 * install; on, DEGRADED when archiving fails now (a failure newer than the last success), when
 * {@code archive_mode} is off, or when the oldest WAL segment not yet archived is older than
 * {@code HEROES_WAL_ARCHIVE_MAX_DELAY} (the recovery point at risk). It reads the newest sample of
 * the {@code wal-archiving} job, and takes one itself when that is older than three minutes.
 */
public final class WalArchivingCheck implements HealthCheck {

    /** A sample older than this is taken again. */
    static final Duration STALE = Duration.ofMinutes(3);

    private final PhysicalBackups physical;
    private final Optional<WalArchiving> archiving;
    private final Duration maxDelay;
    private final Clock clock;

    /**
     * @param physical whether physical backups are on, and why not
     * @param archiving samples archiving, when on
     * @param maxDelay how old the oldest WAL not yet archived may be
     * @param clock "now", to judge a sample's age
     */
    public WalArchivingCheck(PhysicalBackups physical, Optional<WalArchiving> archiving, Duration maxDelay, Clock clock) {
        this.physical = requireNonNull(physical, "physical");
        this.archiving = requireNonNull(archiving, "archiving");
        this.maxDelay = requireNonNull(maxDelay, "maxDelay");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "wal-archiving";
    }

    @Override
    public CheckResult check() {
        if (archiving.isEmpty()) {
            return CheckResult.up("physical backups and point-in-time recovery " + physical.state());
        }
        WalArchiveSample sample;
        try {
            sample = archiving.get().latest().filter(s -> s.sampledAt().isAfter(clock.instant().minus(STALE)))
                    .orElseGet(() -> archiving.get().sample());
        } catch (PhysicalBackupException e) {
            return CheckResult.degraded(e.getMessage());
        }
        if (!sample.archiving()) {
            return CheckResult.degraded("archive_mode is off: WAL is not archived, and a recovery stops at the last backup");
        }
        if (sample.failing()) {
            return CheckResult.degraded("archiving fails since " + sample.lastFailedAt().orElseThrow() + " (" + sample.failedCount()
                    + " failures, last segment " + sample.lastFailedWal().orElse("?") + "); " + sample.pendingSegments()
                    + " segments wait in pg_wal, none is lost: pgBackRest's log says why");
        }
        Duration age = sample.oldestUnarchivedAge();
        if (age.compareTo(maxDelay) > 0) {
            return CheckResult.degraded("the oldest WAL not yet archived is " + age.toSeconds() + " s old, over " + maxDelay.toSeconds()
                    + " s (HEROES_WAL_ARCHIVE_MAX_DELAY): archiving falls behind");
        }
        return CheckResult.up("archiving: " + sample.pendingSegments() + " segments waiting, the oldest " + age.toSeconds() + " s; "
                + physical.state());
    }
}
