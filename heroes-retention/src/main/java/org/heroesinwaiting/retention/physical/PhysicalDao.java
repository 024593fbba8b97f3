package org.heroesinwaiting.retention.physical;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The catalog functions of {@code V018__physical_backups.sql}; each call is its own transaction (autocommit). */
interface PhysicalDao {

    @SqlQuery("""
            SELECT count(*) FROM app.physical_backup_succeeded(:id, :label, :type, :prior, :walStart, :walStop, CAST(:lsnStart AS pg_lsn),
                CAST(:lsnStop AS pg_lsn), :stoppedAt, :clusterBytes, :repositoryBytes)""")
    long succeeded(@Bind("id") long id, @Bind("label") String label, @Bind("type") String type, @Bind("prior") String prior,
            @Bind("walStart") String walStart, @Bind("walStop") String walStop, @Bind("lsnStart") String lsnStart,
            @Bind("lsnStop") String lsnStop, @Bind("stoppedAt") OffsetDateTime stoppedAt, @Bind("clusterBytes") long clusterBytes,
            @Bind("repositoryBytes") long repositoryBytes);

    @SqlQuery("""
            SELECT app.physical_backup_adopt(:label, :type, :prior, :walStart, :walStop, CAST(:lsnStart AS pg_lsn), CAST(:lsnStop AS pg_lsn),
                :startedAt, :stoppedAt, :clusterBytes, :repositoryBytes)""")
    long adopt(@Bind("label") String label, @Bind("type") String type, @Bind("prior") String prior, @Bind("walStart") String walStart,
            @Bind("walStop") String walStop, @Bind("lsnStart") String lsnStart, @Bind("lsnStop") String lsnStop,
            @Bind("startedAt") OffsetDateTime startedAt, @Bind("stoppedAt") OffsetDateTime stoppedAt, @Bind("clusterBytes") long clusterBytes,
            @Bind("repositoryBytes") long repositoryBytes);

    @SqlQuery("SELECT b.id FROM backup_log b WHERE b.label = :label")
    Optional<Long> byLabel(@Bind("label") String label);

    @SqlQuery("SELECT count(*) FROM app.backup_failed(:id, :error)")
    long failed(@Bind("id") long id, @Bind("error") String error);

    @SqlQuery("SELECT count(*) FROM cleanup_old_backups()")
    long markExpired();

    /** An expired physical backup: its row and label. */
    record Expired(long id, String label) {
    }

    /** Newest first, so that a diff goes before the full it builds on. */
    @SqlQuery("SELECT id, label FROM backup_log WHERE status = 'expired' AND format = 'pgbackrest' ORDER BY started_at DESC, id DESC")
    List<Expired> expired();

    /** The labels of the physical backups the catalog keeps (running, or succeeded and not yet past their class). */
    @SqlQuery("SELECT label FROM backup_log WHERE status IN ('running', 'succeeded') AND format = 'pgbackrest' AND label IS NOT NULL")
    Set<String> kept();

    /** Records a verification of the whole repository on every physical backup it holds. */
    @SqlQuery("""
            SELECT count(*) FROM (SELECT app.backup_verified(b.id, :passed, :detail) FROM backup_log b
                                   WHERE b.status = 'succeeded' AND b.format = 'pgbackrest') AS verified""")
    long verified(@Bind("passed") boolean passed, @Bind("detail") String detail);

    @SqlQuery("SELECT count(*) FROM app.backup_deleted(:id)")
    long deleted(@Bind("id") long id);
}
