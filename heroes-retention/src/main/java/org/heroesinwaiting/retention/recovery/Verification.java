package org.heroesinwaiting.retention.recovery;

import java.time.Duration;
import java.util.List;

/**
 * What verifying a backup found: its checksum rechecked, its contents listed, and a restore drill
 * into a scratch database (every table's rows against those counted at backup time, then
 * pg_amcheck), which is dropped after.
 *
 * @param backupId the backup
 * @param recoveryId the drill's row in {@code recovery_log}
 * @param passed whether every check passed
 * @param findings what failed, each naming where (empty when it passed)
 * @param tablesCompared how many tables' rows were compared
 * @param took how long it took
 */
public record Verification(long backupId, long recoveryId, boolean passed, List<String> findings, int tablesCompared, Duration took) {

    public Verification {
        findings = List.copyOf(findings);
    }
}
