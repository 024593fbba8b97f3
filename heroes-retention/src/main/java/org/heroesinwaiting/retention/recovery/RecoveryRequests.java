package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.sql.Array;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.persistence.TransactionRunner;

/**
 * The requests {@code initiate_recovery()} records, read back for {@code heroes recover <id>},
 * which executes them: the point-in-time kinds with {@link PointInTimeRecovery}, a logical table
 * or full restore with {@link RestoreService} (its own row records the restore; the request's
 * says which).
 */
public final class RecoveryRequests {

    private final TransactionRunner catalog;

    /** @param catalog transactions on the application login */
    public RecoveryRequests(TransactionRunner catalog) {
        this.catalog = requireNonNull(catalog, "catalog");
    }

    /**
     * @param id a row of {@code recovery_log}
     * @return it
     * @throws InvalidValueException when there is none
     */
    public RecoveryRequest find(long id) {
        return catalog.selfContained(handle -> handle.createQuery("""
                SELECT id, kind, status, backup_id, tables, mode, target_time, target_zone FROM recovery_log WHERE id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> {
                    Array tables = rs.getArray("tables");
                    long backup = rs.getLong("backup_id");
                    Optional<Long> backupId = rs.wasNull() ? Optional.empty() : Optional.of(backup);
                    OffsetDateTime target = rs.getObject("target_time", OffsetDateTime.class);
                    return new RecoveryRequest(rs.getLong("id"), rs.getString("kind"), rs.getString("status"), backupId,
                            tables == null ? List.of() : List.of((String[]) tables.getArray()),
                            Optional.ofNullable(rs.getString("mode")).map(TableRestoreMode::fromWire),
                            Optional.ofNullable(target).map(OffsetDateTime::toInstant), Optional.ofNullable(rs.getString("target_zone")));
                }).findOne())
                .orElseThrow(() -> new InvalidValueException("there is no recovery " + id));
    }
}
