package org.heroesinwaiting.retention;

import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Upkeep only a table's owner may do, outside any transaction (VACUUM cannot run in one). */
interface MaintenanceDao {

    /** @param table a governed table's name, from the database's own result, never from input */
    @SqlUpdate("VACUUM (ANALYZE) public.<table>")
    void vacuum(@Define("table") String table);
}
