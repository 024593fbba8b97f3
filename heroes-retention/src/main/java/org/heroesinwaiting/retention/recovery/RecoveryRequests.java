package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.NotPermittedException;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The requests {@code initiate_recovery()} records, read back for {@code heroes recover <id>},
 * which executes them: the point-in-time kinds with {@link PointInTimeRecovery}, a logical table
 * or full restore with {@link RestoreService} (its own row records the restore; the request's
 * says which). An admin may approve a request instead, for the server's worker (the {@code
 * recoveries} job) to execute.
 */
public final class RecoveryRequests {

    private static final String COLUMNS = """
            SELECT id, kind, status, backup_id, tables, mode, target_time, target_zone, approved_at, approved_by, error FROM recovery_log""";

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
        return lookup(id).orElseThrow(() -> new InvalidValueException("there is no recovery " + id));
    }

    /**
     * @param id a row of {@code recovery_log}
     * @return it, when it exists
     */
    public Optional<RecoveryRequest> lookup(long id) {
        return catalog.selfContained(handle -> handle.createQuery(COLUMNS + " WHERE id = :id").bind("id", id)
                .map(RecoveryRequests::read).findOne());
    }

    /**
     * @param limit how many, 1 to {@link Page#MAXIMUM_LIMIT}
     * @return the newest rows of {@code recovery_log}, requests, restores and drills, newest first
     */
    public List<RecoveryRequest> recent(int limit) {
        if (limit < 1 || limit > Page.MAXIMUM_LIMIT) {
            throw new InvalidValueException("limit must be 1 to " + Page.MAXIMUM_LIMIT + ", not " + limit);
        }
        return catalog.selfContained(handle -> handle.createQuery(COLUMNS + " ORDER BY id DESC LIMIT :limit").bind("limit", limit)
                .map(RecoveryRequests::read).list());
    }

    /**
     * Approves a request for the server's worker to execute; approving it again changes nothing.
     *
     * @param admin the admin approving it, as the transaction's actor
     * @param id a request, still requested
     * @return it, approved
     * @throws InvalidValueException when there is no such recovery
     * @throws RecoveryNotWaitingException when it is no longer a request waiting to run
     * @throws NotPermittedException when the actor is not an admin
     */
    public RecoveryRequest approve(ActorContext admin, long id) {
        requireNonNull(admin, "admin");
        try {
            catalog.useTransaction(admin, handle -> handle.createQuery("SELECT (app.recovery_approve(:id)).id").bind("id", id)
                    .mapTo(Long.class).one());
        } catch (RuntimeException e) {
            if (SqlStates.has(e, SqlStates.NO_DATA_FOUND)) {
                throw new InvalidValueException("there is no recovery " + id, e);
            }
            if (SqlStates.has(e, SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE)) {
                throw new RecoveryNotWaitingException(SqlStates.message(e) + lookup(id).map(r -> " (it is " + r.status() + ")").orElse(""), e);
            }
            if (SqlStates.has(e, SqlStates.INSUFFICIENT_PRIVILEGE)) {
                throw new NotPermittedException(e);
            }
            throw e;
        }
        return find(id);
    }

    /** @return the approved requests still waiting, oldest approval first */
    public List<Long> approved() {
        return catalog.selfContained(handle -> handle.createQuery("SELECT * FROM app.recoveries_approved()").mapTo(Long.class).list());
    }

    private static RecoveryRequest read(ResultSet rs, StatementContext ctx) throws SQLException {
        Array tables = rs.getArray("tables");
        long backup = rs.getLong("backup_id");
        Optional<Long> backupId = rs.wasNull() ? Optional.empty() : Optional.of(backup);
        OffsetDateTime target = rs.getObject("target_time", OffsetDateTime.class);
        OffsetDateTime approvedAt = rs.getObject("approved_at", OffsetDateTime.class);
        return new RecoveryRequest(rs.getLong("id"), rs.getString("kind"), rs.getString("status"), backupId,
                tables == null ? List.of() : List.of((String[]) tables.getArray()),
                Optional.ofNullable(rs.getString("mode")).map(TableRestoreMode::fromWire),
                Optional.ofNullable(target).map(OffsetDateTime::toInstant), Optional.ofNullable(rs.getString("target_zone")),
                Optional.ofNullable(approvedAt).map(OffsetDateTime::toInstant), Optional.ofNullable(rs.getObject("approved_by", UUID.class)),
                Optional.ofNullable(rs.getString("error")));
    }
}
