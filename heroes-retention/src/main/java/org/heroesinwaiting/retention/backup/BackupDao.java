package org.heroesinwaiting.retention.backup;

import java.time.OffsetDateTime;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The catalog functions of {@code V016__backup_catalog.sql}; each call is its own transaction (autocommit). */
interface BackupDao {

    @SqlQuery("SELECT app.backup_begin(:kind, :format, :schedule)")
    long begin(@Bind("kind") String kind, @Bind("format") String format, @Bind("schedule") String schedule);

    @SqlQuery("""
            SELECT count(*) FROM app.backup_succeeded(:id,
                (SELECT jsonb_agg(jsonb_build_object('path', f.path, 'size_bytes', f.size_bytes, 'sha256', f.sha256) ORDER BY f.path)
                   FROM unnest(CAST(:paths AS text[]), CAST(:sizes AS bigint[]), CAST(:hashes AS text[])) AS f(path, size_bytes, sha256)),
                (SELECT coalesce(jsonb_object_agg(r.table_name, r.row_count), '{}')
                   FROM unnest(CAST(:tables AS text[]), CAST(:counts AS bigint[])) AS r(table_name, row_count)),
                CAST(:lsn AS pg_lsn), :snapshotAt)""")
    long succeeded(@Bind("id") long id, @Bind("paths") String[] paths, @Bind("sizes") Long[] sizes, @Bind("hashes") String[] hashes,
            @Bind("tables") String[] tables, @Bind("counts") Long[] counts, @Bind("lsn") String lsn,
            @Bind("snapshotAt") OffsetDateTime snapshotAt);

    @SqlQuery("SELECT count(*) FROM app.backup_failed(:id, :error)")
    long failed(@Bind("id") long id, @Bind("error") String error);
}
