package org.heroesinwaiting.retention;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/** The retention functions of {@code V014__retention.sql}; each call is its own transaction (autocommit). */
interface RetentionDao {

    /** A run's batch as {@code app.retention_next_batch} reports it. */
    record Batch(String step, long archived, long purged, boolean finished) {
    }

    @SqlQuery("SELECT app.retention_open(:table, CAST(:asOf AS timestamptz), 'service', NULL)")
    long open(@Bind("table") String table, @Bind("asOf") OffsetDateTime asOf);

    @SqlQuery("SELECT as_of FROM retention_runs WHERE id = :run")
    OffsetDateTime asOf(@Bind("run") long run);

    @SqlQuery("SELECT step, archived, purged, finished FROM app.retention_next_batch(:run)")
    @UseRowMapper(BatchMapper.class)
    Batch nextBatch(@Bind("run") long run);

    @SqlQuery("""
            SELECT table_name, archived, purged, still_eligible, batches, state,
                   coalesce(extract(epoch FROM duration) * 1000, 0)::bigint
              FROM app.retention_close(:run, :error)""")
    @UseRowMapper(TableResultMapper.class)
    List<TableResult> close(@Bind("run") long run, @Bind("error") String error);

    /** Releases a lock a failed close left on this pooled connection (the run's connection holds no other). */
    @SqlUpdate("SELECT pg_advisory_unlock_all()")
    void unlockAll();

    @SqlQuery("""
            SELECT table_name, archived, purged, still_eligible, 0, 'dry-run', 0::bigint
              FROM execute_data_retention_policy(:table, CAST(:asOf AS timestamptz), true, 9223372036854775807)""")
    @UseRowMapper(TableResultMapper.class)
    List<TableResult> dryRun(@Bind("table") String table, @Bind("asOf") OffsetDateTime asOf);

    @SqlQuery("SELECT coalesce(CAST(:asOf AS timestamptz), now())")
    OffsetDateTime moment(@Bind("asOf") OffsetDateTime asOf);

    @SqlQuery("""
            SELECT table_name, enabled, live_period::text, total_period::text, archive_table, live_rows, eligible_now, archived_rows,
                   due_for_deletion, oldest_live, oldest_archived, last_run_at, last_outcome
              FROM get_retention_status()""")
    @UseRowMapper(TableStatusMapper.class)
    List<TableStatus> status();

    @SqlQuery("""
            SELECT table_name, enabled, live_period::text, total_period::text, last_run_at, last_outcome, last_success_at, waiting_past_period
              FROM retention_policy_status ORDER BY table_name""")
    @UseRowMapper(PolicyStatusMapper.class)
    List<PolicyStatus> policies();

    @SqlQuery("SELECT day, table_name, archived, purged, runs, failed_runs FROM generate_retention_report(:from, :to)")
    @UseRowMapper(ReportRowMapper.class)
    List<ReportRow> report(@Bind("from") LocalDate from, @Bind("to") LocalDate to);

    /** Rows archived and purged per table since the first run, for {@code /metrics}. */
    @SqlQuery("""
            SELECT u.t, coalesce(sum(r.archived), 0)::bigint, coalesce(sum(r.purged), 0)::bigint
              FROM unnest(app.retention_tables()) WITH ORDINALITY AS u(t, o) LEFT JOIN retention_run_tables r ON r.table_name = u.t
             GROUP BY u.t, u.o ORDER BY u.o""")
    @UseRowMapper(TotalsMapper.class)
    List<TableTotals> totals();

    /** How many rows a table has, as the planner last counted them (no scan). */
    @SqlQuery("SELECT greatest(coalesce((SELECT reltuples FROM pg_class WHERE oid = to_regclass(:table)), 0), 0)::bigint")
    long estimatedRows(@Bind("table") String table);

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    /** Maps a batch. */
    final class BatchMapper implements RowMapper<Batch> {
        @Override
        public Batch map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Batch(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4));
        }
    }

    /** Maps a table of a run. */
    final class TableResultMapper implements RowMapper<TableResult> {
        @Override
        public TableResult map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new TableResult(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getInt(5), rs.getString(6),
                    Duration.ofMillis(rs.getLong(7)), Upkeep.NONE);
        }
    }

    /** Maps a table's status. */
    final class TableStatusMapper implements RowMapper<TableStatus> {
        @Override
        public TableStatus map(ResultSet rs, StatementContext ctx) throws SQLException {
            long archived = rs.getLong(8);
            Optional<Long> archivedRows = rs.wasNull() ? Optional.empty() : Optional.of(archived);
            return new TableStatus(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4), Optional.ofNullable(rs.getString(5)),
                    rs.getLong(6), rs.getLong(7), archivedRows, rs.getLong(9), instant(rs, 10), instant(rs, 11), instant(rs, 12),
                    Optional.ofNullable(rs.getString(13)));
        }
    }

    /** Maps a policy's status. */
    final class PolicyStatusMapper implements RowMapper<PolicyStatus> {
        @Override
        public PolicyStatus map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new PolicyStatus(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4), instant(rs, 5),
                    Optional.ofNullable(rs.getString(6)), instant(rs, 7), rs.getBoolean(8));
        }
    }

    /** Maps a report row. */
    final class ReportRowMapper implements RowMapper<ReportRow> {
        @Override
        public ReportRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ReportRow(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6));
        }
    }

    /** Maps a table's totals. */
    final class TotalsMapper implements RowMapper<TableTotals> {
        @Override
        public TableTotals map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new TableTotals(rs.getString(1), rs.getLong(2), rs.getLong(3));
        }
    }
}
