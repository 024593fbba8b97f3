package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A row of {@code recovery_log}, as {@code initiate_recovery()} records a request.
 *
 * @param id its id
 * @param kind {@code point-in-time}, {@code tables-to-time}, {@code tables} (from a logical backup) or {@code full}
 * @param status {@code requested} until it is executed, then {@code running}, {@code succeeded} or {@code failed}
 * @param backupId the logical backup it restores from, for {@code tables} and {@code full}
 * @param tables the tables it restores
 * @param mode replace or add-missing, for a table restore
 * @param target the moment it aims at, for the point-in-time kinds
 * @param targetZone the zone a target without one was read in
 * @param approvedAt when an admin approved it for the server's worker ({@code recoveries} job) to execute
 * @param approvedBy the admin who approved it
 * @param error why it failed, once it has
 */
public record RecoveryRequest(long id, String kind, String status, Optional<Long> backupId, List<String> tables,
        Optional<TableRestoreMode> mode, Optional<Instant> target, Optional<String> targetZone, Optional<Instant> approvedAt,
        Optional<UUID> approvedBy, Optional<String> error) {

    public RecoveryRequest {
        requireNonNull(kind, "kind");
        requireNonNull(status, "status");
        requireNonNull(backupId, "backupId");
        tables = List.copyOf(tables);
        requireNonNull(mode, "mode");
        requireNonNull(target, "target");
        requireNonNull(targetZone, "targetZone");
        requireNonNull(approvedAt, "approvedAt");
        requireNonNull(approvedBy, "approvedBy");
        requireNonNull(error, "error");
    }

    /** @return whether it needs pgBackRest (a point-in-time kind) */
    public boolean isPointInTime() {
        return kind.equals("point-in-time") || kind.equals("tables-to-time");
    }
}
