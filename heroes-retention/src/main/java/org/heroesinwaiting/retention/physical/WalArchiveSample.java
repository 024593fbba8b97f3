package org.heroesinwaiting.retention.physical;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One sample of the cluster's WAL archiving ({@code wal_archive_samples}).
 *
 * @param sampledAt when it was taken
 * @param archiveMode {@code archive_mode} ({@code on}, {@code off}, {@code always})
 * @param archiveTimeout {@code archive_timeout}: the longest an idle database leaves a segment open
 * @param archivedCount segments archived since the statistics were reset
 * @param failedCount failed attempts since then
 * @param lastArchivedAt when the last segment was archived
 * @param lastFailedWal the segment of the last failed attempt
 * @param lastFailedAt when it failed
 * @param pendingSegments segments closed but not archived yet
 * @param oldestPendingAt when the oldest of them was closed
 * @param failing whether the last attempt failed (a failure newer than the last success)
 */
public record WalArchiveSample(Instant sampledAt, String archiveMode, Duration archiveTimeout, long archivedCount, long failedCount,
        Optional<Instant> lastArchivedAt, Optional<String> lastFailedWal, Optional<Instant> lastFailedAt, int pendingSegments,
        Optional<Instant> oldestPendingAt, boolean failing) {

    public WalArchiveSample {
        requireNonNull(sampledAt, "sampledAt");
        requireNonNull(archiveMode, "archiveMode");
        requireNonNull(archiveTimeout, "archiveTimeout");
        requireNonNull(lastArchivedAt, "lastArchivedAt");
        requireNonNull(lastFailedWal, "lastFailedWal");
        requireNonNull(lastFailedAt, "lastFailedAt");
        requireNonNull(oldestPendingAt, "oldestPendingAt");
    }

    /** @return the age, when sampled, of the oldest WAL not yet archived (zero when none waits): the recovery point at risk */
    public Duration oldestUnarchivedAge() {
        return oldestPendingAt.map(oldest -> Duration.between(oldest, sampledAt)).filter(age -> !age.isNegative()).orElse(Duration.ZERO);
    }

    /** @return whether archiving is on at all */
    public boolean archiving() {
        return !archiveMode.equals("off");
    }
}
