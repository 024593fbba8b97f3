package org.heroesinwaiting.retention.backup;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/** The catalog functions of {@code V016__backup_catalog.sql} (and {@code V017}); each call is its own transaction (autocommit). */
interface BackupDao {

    @SqlQuery("SELECT app.backup_begin(:kind, :format, :schedule)")
    long begin(@Bind("kind") String kind, @Bind("format") String format, @Bind("schedule") String schedule);

    @SqlQuery("""
            SELECT count(*) FROM app.backup_succeeded(:id,
                (SELECT jsonb_agg(jsonb_build_object('path', f.path, 'size_bytes', f.size_bytes, 'sha256', f.sha256) ORDER BY f.path)
                   FROM unnest(CAST(:paths AS text[]), CAST(:sizes AS bigint[]), CAST(:hashes AS text[])) AS f(path, size_bytes, sha256)),
                (SELECT coalesce(jsonb_object_agg(r.table_name, r.row_count), '{}')
                   FROM unnest(CAST(:tables AS text[]), CAST(:counts AS bigint[])) AS r(table_name, row_count)),
                CAST(:lsn AS pg_lsn), :snapshotAt, :keyId)""")
    long succeeded(@Bind("id") long id, @Bind("paths") String[] paths, @Bind("sizes") Long[] sizes, @Bind("hashes") String[] hashes,
            @Bind("tables") String[] tables, @Bind("counts") Long[] counts, @Bind("lsn") String lsn,
            @Bind("snapshotAt") OffsetDateTime snapshotAt, @Bind("keyId") String keyId);

    @SqlQuery("SELECT count(*) FROM app.backup_failed(:id, :error)")
    long failed(@Bind("id") long id, @Bind("error") String error);

    /** A backup the cleanup marked expired, with its files. */
    record Expired(long id, String kind, String[] files) {
    }

    @SqlQuery("SELECT backup_id, kind, files FROM cleanup_old_backups()")
    @UseRowMapper(ExpiredMapper.class)
    List<Expired> cleanup();

    @SqlQuery("SELECT b.id, b.kind, ARRAY(SELECT f.path FROM backup_files f WHERE f.backup_id = b.id) FROM backup_log b"
            + " WHERE b.status = 'expired' AND b.format <> 'pgbackrest'")
    @UseRowMapper(ExpiredMapper.class)
    List<Expired> expired();

    @SqlQuery("SELECT b.id FROM backup_log b WHERE b.id = ANY(:ids) AND b.status <> 'running'")
    List<Long> finished(@Bind("ids") Long[] ids);

    @SqlQuery("SELECT count(*) FROM app.backup_deleted(:id)")
    long deleted(@Bind("id") long id);

    /** Maps (id, kind, files). */
    final class ExpiredMapper implements RowMapper<Expired> {
        @Override
        public Expired map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Expired(rs.getLong(1), rs.getString(2), (String[]) rs.getArray(3).getArray());
        }
    }
}
