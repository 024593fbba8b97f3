package org.heroesinwaiting.server.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.heroesinwaiting.retention.backup.BackupFile;
import org.heroesinwaiting.retention.backup.BackupRecord;
import org.heroesinwaiting.retention.backup.BackupRecovery;
import org.heroesinwaiting.retention.backup.BackupResult;
import org.heroesinwaiting.retention.backup.CleanupResult;
import org.heroesinwaiting.retention.physical.PhysicalBackupResult;
import org.heroesinwaiting.retention.physical.PhysicalCleanupResult;
import org.heroesinwaiting.retention.recovery.RestoreResult;
import org.heroesinwaiting.retention.recovery.StartedVerification;
import org.heroesinwaiting.retention.recovery.TableRestoreResult;
import org.heroesinwaiting.retention.recovery.Verification;

/**
 * The JSON shapes of backups and restores, one place for {@code heroes backup ... --json} and
 * {@code heroes restore ... --json} and the admin endpoints: snake_case keys,
 * absent values as {@code null}.
 */
public final class BackupJson {

    private BackupJson() {
    }

    /**
     * @param backup a backup just made
     * @return {@code {id, kind, format, size_bytes, snapshot_at, took_ms, key_id, files: [...], tables}}
     */
    public static Map<String, Object> result(BackupResult backup) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", backup.id());
        json.put("kind", backup.kind().wireName());
        json.put("format", backup.format().wireName());
        json.put("size_bytes", backup.sizeBytes());
        json.put("snapshot_at", backup.snapshotAt().toString());
        json.put("took_ms", backup.took().toMillis());
        json.put("key_id", backup.keyId().orElse(null));
        json.put("files", backup.files().stream().map(BackupJson::file).toList());
        json.put("tables", backup.tableRows().size());
        return json;
    }

    /**
     * @param backup a physical backup just made
     * @return {@code {id, kind, format, label, type, prior, wal_start, wal_stop, lsn_start, lsn_stop, cluster_bytes, repository_bytes, took_ms}}
     */
    public static Map<String, Object> physical(PhysicalBackupResult backup) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", backup.id());
        json.put("kind", backup.kind().wireName());
        json.put("format", "pgbackrest");
        json.put("label", backup.backup().label());
        json.put("type", backup.backup().type());
        json.put("prior", backup.backup().prior().orElse(null));
        json.put("wal_start", backup.backup().walStart());
        json.put("wal_stop", backup.backup().walStop());
        json.put("lsn_start", backup.backup().lsnStart());
        json.put("lsn_stop", backup.backup().lsnStop());
        json.put("cluster_bytes", backup.backup().sizeBytes());
        json.put("repository_bytes", backup.backup().repositoryBytes());
        json.put("took_ms", backup.took().toMillis());
        return json;
    }

    /**
     * @param backup a backup in the catalog
     * @return {@code {id, kind, format, status, started_at, finished_at, snapshot_at, error, verification, verified_at,
     *     key_id, retention_class, expires_at, keep, size_bytes, files: [...]}}
     */
    public static Map<String, Object> record(BackupRecord backup) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", backup.id());
        json.put("kind", backup.kind().wireName());
        json.put("format", backup.format().wireName());
        json.put("status", backup.status());
        json.put("started_at", backup.startedAt().toString());
        json.put("finished_at", time(backup.finishedAt()));
        json.put("snapshot_at", time(backup.snapshotAt()));
        json.put("error", backup.error().orElse(null));
        json.put("verification", backup.verification().orElse(null));
        json.put("verified_at", time(backup.verifiedAt()));
        json.put("key_id", backup.keyId().orElse(null));
        json.put("retention_class", backup.retentionClass());
        json.put("expires_at", time(backup.expiresAt()));
        json.put("keep", backup.keep());
        json.put("size_bytes", backup.files().stream().mapToLong(BackupFile::sizeBytes).sum());
        json.put("files", backup.files().stream().map(BackupJson::file).toList());
        return json;
    }

    /**
     * @param backup a backup in the catalog
     * @param recoveries its restores and drills, newest first
     * @return {@link #record}'s keys, and {@code verification_detail}, {@code table_rows: {table: rows}} and {@code
     *     recoveries: [{id, kind, target_database, status, started_at, finished_at, error}]}
     */
    public static Map<String, Object> detail(BackupRecord backup, List<BackupRecovery> recoveries) {
        Map<String, Object> json = record(backup);
        json.put("verification_detail", backup.verificationDetail().orElse(null));
        json.put("table_rows", new TreeMap<>(backup.tableRows()));
        json.put("recoveries", recoveries.stream().map(recovery -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", recovery.id());
            row.put("kind", recovery.kind());
            row.put("target_database", recovery.targetDatabase());
            row.put("status", recovery.status());
            row.put("started_at", recovery.startedAt().toString());
            row.put("finished_at", time(recovery.finishedAt()));
            row.put("error", recovery.error().orElse(null));
            return row;
        }).toList());
        return json;
    }

    /**
     * @param verification a verification just started
     * @return {@code {backup_id, recovery_id, status: "running"}}
     */
    public static Map<String, Object> started(StartedVerification verification) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("backup_id", verification.backupId());
        json.put("recovery_id", verification.recoveryId());
        json.put("status", "running");
        return json;
    }

    private static String time(Optional<Instant> at) {
        return at.map(Instant::toString).orElse(null);
    }

    /**
     * @param verification a verification
     * @return {@code {backup_id, recovery_id, passed, findings: [...], tables_compared, took_ms}}
     */
    public static Map<String, Object> verification(Verification verification) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("backup_id", verification.backupId());
        json.put("recovery_id", verification.recoveryId());
        json.put("passed", verification.passed());
        json.put("findings", verification.findings());
        json.put("tables_compared", verification.tablesCompared());
        json.put("took_ms", verification.took().toMillis());
        return json;
    }

    /**
     * @param cleanup a cleanup
     * @return {@code {deleted: [ids], files_deleted: [...], failures: [...]}}
     */
    public static Map<String, Object> cleanup(CleanupResult cleanup) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("deleted", cleanup.deleted());
        json.put("files_deleted", cleanup.filesDeleted().stream().map(Object::toString).toList());
        json.put("failures", cleanup.failures());
        return json;
    }

    /**
     * @param cleanup a logical cleanup
     * @param physical the physical one, when physical backups are on
     * @return {@code {deleted: [ids], files_deleted: [...], failures: [...], physical_expired: [ids],
     *     physical_released: [folders]}}: both
     */
    public static Map<String, Object> cleanup(CleanupResult cleanup, Optional<PhysicalCleanupResult> physical) {
        Map<String, Object> json = cleanup(cleanup);
        physical.ifPresent(expired -> {
            json.put("physical_expired", expired.deleted());
            json.put("physical_released", expired.released().stream().map(Object::toString).toList());
            List<String> failures = new ArrayList<>(cleanup.failures());
            failures.addAll(expired.failures());
            json.put("failures", failures);
        });
        return json;
    }

    /**
     * @param restore a full restore
     * @return {@code {backup_id, recovery_id, database, tables_compared, restored_bytes, bytes_per_second, took_ms}}
     */
    public static Map<String, Object> restore(RestoreResult restore) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("backup_id", restore.backupId());
        json.put("recovery_id", restore.recoveryId());
        json.put("database", restore.database());
        json.put("tables_compared", restore.tablesCompared());
        json.put("restored_bytes", restore.restoredBytes());
        json.put("bytes_per_second", Math.round(restore.bytesPerSecond()));
        json.put("took_ms", restore.took().toMillis());
        return json;
    }

    /**
     * @param restore a table restore
     * @return {@code {backup_id, recovery_id, mode, inserted: {...}, updated: {...}, deleted: {...}, took_ms}}
     */
    public static Map<String, Object> tables(TableRestoreResult restore) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("backup_id", restore.backupId());
        json.put("recovery_id", restore.recoveryId());
        json.put("mode", restore.mode().wireName());
        json.put("inserted", new TreeMap<>(restore.inserted()));
        json.put("updated", new TreeMap<>(restore.updated()));
        json.put("deleted", new TreeMap<>(restore.deleted()));
        json.put("took_ms", restore.took().toMillis());
        return json;
    }

    private static Map<String, Object> file(BackupFile file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("path", file.path().toString());
        json.put("size_bytes", file.sizeBytes());
        json.put("sha256", file.sha256());
        return json;
    }
}
