package org.heroesinwaiting.retention.recovery;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The recovery functions of {@code V016__backup_catalog.sql}; each call is its own transaction (autocommit). */
interface RecoveryDao {

    @SqlQuery("SELECT app.recovery_begin(:kind, :backup, :database)")
    long begin(@Bind("kind") String kind, @Bind("backup") long backup, @Bind("database") String database);

    @SqlQuery("SELECT app.recovery_begin('tables', :backup, current_database(), :tables, :mode)")
    long beginTables(@Bind("backup") long backup, @Bind("tables") String[] tables, @Bind("mode") String mode);

    @SqlQuery("SELECT current_database()")
    String database();

    @SqlQuery("SELECT count(*) FROM app.recovery_step(:id, :step, :detail)")
    long step(@Bind("id") long id, @Bind("step") String step, @Bind("detail") String detail);

    @SqlQuery("SELECT count(*) FROM app.recovery_finished(:id, :error, :bytes)")
    long finished(@Bind("id") long id, @Bind("error") String error, @Bind("bytes") Long bytes);

    @SqlQuery("SELECT count(*) FROM app.backup_verified(:id, :passed, :detail)")
    long verified(@Bind("id") long id, @Bind("passed") boolean passed, @Bind("detail") String detail);
}
