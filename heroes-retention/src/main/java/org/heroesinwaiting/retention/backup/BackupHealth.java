package org.heroesinwaiting.retention.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where backups stand, for {@code /health} and {@code /metrics}.
 *
 * @param kinds each kind's last success and its failures
 * @param newestFull the newest full backup that succeeded, when there is one
 * @param lastDrill the last restore drill, when there was one
 */
public record BackupHealth(List<Kind> kinds, Optional<Newest> newestFull, Optional<Drill> lastDrill) {

    public BackupHealth {
        kinds = List.copyOf(kinds);
    }

    /**
     * @param kind full, archive, physical-full or daily
     * @param lastSuccessAt when its last backup that succeeded finished
     * @param lastSizeBytes that backup's size
     * @param lastDuration how long it took
     * @param failures backups of this kind that failed, ever
     */
    public record Kind(String kind, Optional<Instant> lastSuccessAt, long lastSizeBytes, Optional<Duration> lastDuration, long failures) {
    }

    /**
     * @param id its row in {@code backup_log}
     * @param finishedAt when it finished
     * @param verifiedAt when it was last verified
     * @param verification {@code passed} or {@code failed}
     * @param age how long ago it finished, on the database's clock
     */
    public record Newest(long id, Instant finishedAt, Optional<Instant> verifiedAt, Optional<String> verification, Duration age) {
    }

    /**
     * @param backupId the backup drilled
     * @param finishedAt when the drill finished (empty while it runs)
     * @param status {@code running}, {@code succeeded} or {@code failed}
     * @param error what failed
     */
    public record Drill(long backupId, Optional<Instant> finishedAt, String status, Optional<String> error) {
    }
}
