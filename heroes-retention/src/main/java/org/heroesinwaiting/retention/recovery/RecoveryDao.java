package org.heroesinwaiting.retention.recovery;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The recovery functions of {@code V016__backup_catalog.sql}, {@code V017} and {@code V020}; each call is its own transaction (autocommit). */
interface RecoveryDao {

    @SqlQuery("SELECT r.target_database FROM recovery_log r WHERE r.status = 'running'")
    List<String> runningTargets();

    @SqlQuery("SELECT current_database()")
    String database();

    @SqlQuery("SELECT count(*) FROM app.recovery_step(:id, :step, :detail)")
    long step(@Bind("id") long id, @Bind("step") String step, @Bind("detail") String detail);

    @SqlQuery("SELECT count(*) FROM app.recovery_finished(:id, :error, :bytes)")
    long finished(@Bind("id") long id, @Bind("error") String error, @Bind("bytes") Long bytes);

    /** @return the recovery's row as JSON, to carry it into the cluster it made */
    @SqlQuery("SELECT to_jsonb(r)::text FROM recovery_log r WHERE r.id = :id")
    String record(@Bind("id") long id);

    @SqlQuery("SELECT initiate_recovery(:type, :backup, CAST(:target AS timestamp), CAST(:tables AS text[]), :mode, 'UTC')")
    long initiate(@Bind("type") String type, @Bind("backup") Long backup, @Bind("target") LocalDateTime target,
            @Bind("tables") String[] tables, @Bind("mode") String mode);

    @SqlQuery("SELECT b.label FROM backup_log b WHERE b.id = :id AND b.format = 'pgbackrest' AND b.status = 'succeeded'")
    Optional<String> label(@Bind("id") long id);

    @SqlQuery("SELECT b.id FROM backup_log b WHERE b.label = :label")
    Optional<Long> physicalBackup(@Bind("label") String label);

    @SqlQuery("SELECT count(*) FROM app.backup_verified(:id, :passed, :detail)")
    long verified(@Bind("id") long id, @Bind("passed") boolean passed, @Bind("detail") String detail);
}
