package org.heroesinwaiting.persistence.analytics;

import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** {@code refresh_analytics} of {@code V025__analytics.sql}. */
interface AnalyticsDao {

    @SqlQuery("SELECT rollup, periods, cells FROM refresh_analytics() ORDER BY rollup")
    List<RollupRefresh> refresh();

    @SqlQuery("SELECT rollup, periods, cells FROM refresh_analytics(:from, :to) ORDER BY rollup")
    List<RollupRefresh> refresh(@Bind("from") LocalDate from, @Bind("to") LocalDate to);
}
