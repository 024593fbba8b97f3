package org.heroesinwaiting.persistence.analytics;

import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** {@code refresh_analytics} of {@code V025__analytics.sql} and {@code V027__analytics_by_classroom.sql}. */
interface AnalyticsDao {

    /**
     * A rebuild of years of rows (the first refresh, a refresh of many days) runs longer than the
     * application login's {@code statement_timeout} (30 s); the nightly one takes milliseconds.
     */
    @SqlUpdate("SET LOCAL statement_timeout = '1h'")
    void allowLongRefresh();

    @SqlQuery("SELECT rollup, periods, cells FROM refresh_analytics() ORDER BY rollup")
    List<RollupRefresh> refresh();

    @SqlQuery("SELECT rollup, periods, cells FROM refresh_analytics(:from, :to) ORDER BY rollup")
    List<RollupRefresh> refresh(@Bind("from") LocalDate from, @Bind("to") LocalDate to);
}
