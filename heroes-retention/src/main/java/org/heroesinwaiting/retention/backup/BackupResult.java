package org.heroesinwaiting.retention.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A backup that is whole, as {@code backup_log} records it.
 *
 * @param id its row in {@code backup_log}
 * @param kind full or archive
 * @param format how it is written
 * @param files its files, each with its size and SHA-256
 * @param tableRows the row count of every table it holds ({@code public.classrooms}), taken in the dump's own snapshot
 * @param snapshotAt the moment the dump's snapshot shows the database at
 * @param took how long it took
 * @param keyId the key it is encrypted with, when it is
 */
public record BackupResult(long id, BackupKind kind, BackupFormat format, List<BackupFile> files, Map<String, Long> tableRows,
        Instant snapshotAt, Duration took, Optional<String> keyId) {

    public BackupResult {
        files = List.copyOf(files);
        tableRows = Map.copyOf(tableRows);
    }

    /** @return the bytes of all its files */
    public long sizeBytes() {
        return files.stream().mapToLong(BackupFile::sizeBytes).sum();
    }
}
