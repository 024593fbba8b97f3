package org.heroesinwaiting.retention.backup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A backup as the catalog holds it.
 *
 * @param id its row in {@code backup_log}
 * @param kind full or archive
 * @param format how it is written
 * @param status {@code running}, {@code succeeded}, {@code failed}, {@code expired} or {@code deleted}
 * @param startedAt when it began
 * @param snapshotAt the moment its snapshot shows, once it succeeded
 * @param files its files
 * @param tableRows the rows of each table it holds, counted in its snapshot
 * @param verification {@code passed} or {@code failed}, once verified
 * @param keyId the key it is encrypted with, when it is
 * @param finishedAt when it succeeded or failed
 * @param error why it failed, when it did
 * @param verifiedAt when it was last verified
 * @param verificationDetail what the last verification found
 * @param retentionClass {@code full}, {@code archive}, {@code daily} (by the schedule that made it) or {@code manual}
 * @param expiresAt when its class's period ends (none: kept until a DBA deletes it)
 * @param keep whether a DBA keeps it whatever its class says
 * @param serverVersion the version of the server it was taken from ({@code 15.8})
 */
public record BackupRecord(long id, BackupKind kind, BackupFormat format, String status, Instant startedAt, Optional<Instant> snapshotAt,
        List<BackupFile> files, Map<String, Long> tableRows, Optional<String> verification, Optional<String> keyId,
        Optional<Instant> finishedAt, Optional<String> error, Optional<Instant> verifiedAt, Optional<String> verificationDetail,
        String retentionClass, Optional<Instant> expiresAt, boolean keep, Optional<String> serverVersion) {

    public BackupRecord {
        files = List.copyOf(files);
        tableRows = Map.copyOf(tableRows);
    }

    /** @return the major version of the server it was taken from ({@code 15}), when recorded */
    public OptionalInt serverMajor() {
        return serverVersion.map(version -> version.replaceFirst("^([0-9]+).*$", "$1"))
                .filter(major -> major.matches("[0-9]{1,4}")).map(major -> OptionalInt.of(Integer.parseInt(major))).orElse(OptionalInt.empty());
    }
}
