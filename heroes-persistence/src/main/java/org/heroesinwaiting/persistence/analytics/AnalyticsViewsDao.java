package org.heroesinwaiting.persistence.analytics;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.AllowUnusedBindings;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/** The analytics views of {@code V025__analytics.sql} and {@code V026}, as {@link AnalyticsReader} reads them. */
interface AnalyticsViewsDao {

    /**
     * @param relation a view's name, from {@link AnalyticsView} (never a caller's text)
     * @param filters {@code true}, or conditions on the view's own columns naming the binds below, from {@link AnalyticsReader}
     */
    @SqlQuery("SELECT v.* FROM public.<relation> v WHERE <filters> ORDER BY 1, 2, 3, 4, 5")
    @UseRowMapper(RowAsMap.class)
    @AllowUnusedBindings
    List<Map<String, Object>> rows(@Define("relation") String relation, @Define("filters") String filters, @Bind("lesson") Integer lesson,
            @Bind("grade") Integer grade, @Bind("ages") String ageRange, @Bind("from") LocalDate from, @Bind("to") LocalDate to);

    /** A view's columns, in its order (known with no row to read them from). */
    @SqlQuery("""
            SELECT a.attname FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = CAST(CAST(:relation AS text) AS regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""")
    List<String> columns(@Bind("relation") String relation);

    @SqlQuery("SELECT k_anonymity FROM public.analytics_suppression")
    int kAnonymity();

    @SqlQuery("SELECT count(*) > 0 FROM public.lessons WHERE lesson_number = :n")
    boolean lessonExists(@Bind("n") int lessonNumber);

    /**
     * Read on the database the analytics come from. pg_stat_wal_receiver shows a login without
     * pg_read_all_stats only the receiver's pid: enough to know it runs.
     */
    @SqlQuery("""
            SELECT pg_is_in_recovery() AS standby,
                   EXISTS (SELECT 1 FROM pg_catalog.pg_stat_wal_receiver WHERE pid IS NOT NULL) AS receiving,
                   CASE WHEN NOT pg_is_in_recovery() THEN NULL
                        WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
                        ELSE extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000 END AS lag_millis,
                   pg_last_xact_replay_timestamp() AS last_replayed""")
    @UseRowMapper(Replication.class)
    ReplicationStatus replication();

    /** A row of {@link #replication()}. */
    final class Replication implements RowMapper<ReplicationStatus> {

        @Override
        public ReplicationStatus map(ResultSet rs, StatementContext ctx) throws SQLException {
            BigDecimal lag = rs.getBigDecimal("lag_millis");
            OffsetDateTime replayed = rs.getObject("last_replayed", OffsetDateTime.class);
            return new ReplicationStatus(rs.getBoolean("standby"), rs.getBoolean("receiving"),
                    Optional.ofNullable(lag).map(millis -> Duration.ofMillis(Math.max(0, millis.longValue()))),
                    Optional.ofNullable(replayed).map(OffsetDateTime::toInstant));
        }
    }

    /** A row as its columns' values in order, a date as a {@code LocalDate}. */
    final class RowAsMap implements RowMapper<Map<String, Object>> {

        @Override
        public Map<String, Object> map(ResultSet rs, StatementContext ctx) throws SQLException {
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                Object value = rs.getObject(i);
                row.put(meta.getColumnLabel(i), value instanceof java.sql.Date date ? date.toLocalDate() : value);
            }
            return Collections.unmodifiableMap(row);
        }
    }
}
