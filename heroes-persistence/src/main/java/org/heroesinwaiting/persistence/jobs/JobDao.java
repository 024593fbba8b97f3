package org.heroesinwaiting.persistence.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/** The jobs' calls of their SECURITY DEFINER functions. */
public interface JobDao {

    /** @return whether the schema has the function yet ({@code app.expire_sessions(timestamptz)}) */
    @SqlQuery("SELECT to_regprocedure(:signature) IS NOT NULL")
    boolean exists(@Bind("signature") String signature);

    /** One row a job function answers: what it counted, and how many. */
    record Count(String kind, long count) {
    }

    /** Maps a {@link Count} by position: each function names its count column after what it did. */
    final class CountMapper implements RowMapper<Count> {
        @Override
        public Count map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Count(rs.getString(1), rs.getLong(2));
        }
    }

    /**
     * @param function a job function's qualified name, from the code, never from input
     * @return its rows, called without its argument so the database's clock decides what is due
     */
    @SqlQuery("SELECT * FROM <function>()")
    @UseRowMapper(CountMapper.class)
    List<Count> call(@Define("function") String function);

    /** @return how many partitions it created */
    @SqlQuery("SELECT app.ensure_audit_partitions(:ahead)")
    int ensureAuditPartitions(@Bind("ahead") int monthsAhead);

    /** @return how many closed months it sealed */
    @SqlQuery("SELECT app.seal_audit_months()")
    int sealAuditMonths();
}
