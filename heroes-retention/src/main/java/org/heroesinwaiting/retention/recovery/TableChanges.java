package org.heroesinwaiting.retention.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The live half of a table restore: the backup's rows of the chosen tables, staged in temporary
 * tables, applied to the live ones in one transaction as the mode says, parents before children;
 * any change that reaches a table not chosen undoes it all.
 */
final class TableChanges {

    private TableChanges() {
    }

    /** Applies the copied rows to the live tables in one transaction, refusing any change beyond them. */
    static TableRestoreResult apply(Connection connection, Map<String, Path> rows, TableRestoreMode mode, long backupId, long recovery,
            long started) throws SQLException, IOException {
        Map<String, Long> inserted = new LinkedHashMap<>();
        Map<String, Long> updated = new LinkedHashMap<>();
        Map<String, Long> deleted = new LinkedHashMap<>();
        try (Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                sql.execute("SELECT set_config('app.request_id', 'recovery-" + recovery + "', true)");
                CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
                List<String> parentsFirst = parentsFirst(sql, new ArrayList<>(rows.keySet()));
                for (String table : parentsFirst) {
                    sql.execute("CREATE TEMPORARY TABLE \"restore_" + table + "\" (LIKE public." + table + ") ON COMMIT DROP");
                    try (InputStream in = Files.newInputStream(rows.get(table))) {
                        copy.copyIn("COPY \"restore_" + table + "\" FROM STDIN (FORMAT binary)", in);
                    }
                }
                // rows the backup lacks go first (children first), so that a row coming back never meets a newer one
                // on a unique key (a classroom's one open lesson)
                if (mode == TableRestoreMode.REPLACE) {
                    List<String> childrenFirst = new ArrayList<>(parentsFirst);
                    Collections.reverse(childrenFirst);
                    for (String table : childrenFirst) {
                        String match = String.join(" AND ", primaryKey(sql, table).stream().map(c -> "r." + RestoreService.quote(c) + " = t." + RestoreService.quote(c)).toList());
                        deleted.put(table, (long) sql.executeUpdate("DELETE FROM public." + table + " t WHERE NOT EXISTS (SELECT 1 FROM \"restore_"
                                + table + "\" r WHERE " + match + ")"));
                    }
                }
                for (String table : parentsFirst) {
                    List<String> key = primaryKey(sql, table);
                    String staged = "\"restore_" + table + "\"";
                    if (mode == TableRestoreMode.ADD_MISSING) {
                        inserted.put(table, (long) sql.executeUpdate("INSERT INTO public." + table + " OVERRIDING SYSTEM VALUE SELECT * FROM "
                                + staged + " ON CONFLICT DO NOTHING"));
                    } else {
                        List<String> columns = columns(sql, table);
                        String set = String.join(", ", columns.stream().map(c -> RestoreService.quote(c) + " = EXCLUDED." + RestoreService.quote(c)).toList());
                        long added = 0;
                        long changed = 0;
                        try (ResultSet rs = sql.executeQuery("INSERT INTO public." + table + " AS t OVERRIDING SYSTEM VALUE SELECT * FROM " + staged
                                + " ON CONFLICT (" + String.join(", ", key.stream().map(RestoreService::quote).toList()) + ") DO UPDATE SET " + set
                                + " WHERE (" + tuple("t", columns) + ") IS DISTINCT FROM (" + tuple("EXCLUDED", columns) + ")"
                                + " RETURNING (xmax = 0)")) {
                            while (rs.next()) {
                                if (rs.getBoolean(1)) {
                                    added++;
                                } else {
                                    changed++;
                                }
                            }
                        }
                        inserted.put(table, added);
                        updated.put(table, changed);
                    }
                }
                List<String> reached = beyond(sql, rows.keySet());
                if (!reached.isEmpty()) {
                    throw new IOException("the restore would also change " + String.join(", ", reached)
                            + " (through their foreign keys): restore them with it, or add only the missing rows");
                }
                audit(connection, parentsFirst, inserted, updated, deleted, backupId, recovery, mode);
                connection.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return new TableRestoreResult(backupId, recovery, mode, inserted, updated, deleted, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * One audit record per table and kind of change, whether or not the table is audited row by row:
     * which recovery, from which backup, how many rows.
     */
    private static void audit(Connection connection, List<String> tables, Map<String, Long> inserted, Map<String, Long> updated,
            Map<String, Long> deleted, long backupId, long recovery, TableRestoreMode mode) throws SQLException {
        try (PreparedStatement record = connection.prepareStatement("""
                INSERT INTO public.audit_log (table_name, operation, row_key, changed_columns, new_values, actor_role, database_role,
                                              transaction_id, request_id)
                VALUES (?, ?, jsonb_build_object('recovery', ?::bigint, 'backup', ?::bigint), '{}',
                        jsonb_build_object('restored_rows', ?::bigint, 'mode', ?::text), 'system', session_user, txid_current(), ?)""")) {
            for (String table : tables) {
                for (Map.Entry<String, Map<String, Long>> change : Map.of("INSERT", inserted, "UPDATE", updated, "DELETE", deleted).entrySet()) {
                    long count = change.getValue().getOrDefault(table, 0L);
                    if (count > 0) {
                        record.setString(1, table);
                        record.setString(2, change.getKey());
                        record.setLong(3, recovery);
                        record.setLong(4, backupId);
                        record.setLong(5, count);
                        record.setString(6, mode.wireName());
                        record.setString(7, "recovery-" + recovery);
                        record.addBatch();
                    }
                }
            }
            record.executeBatch();
        }
    }

    /** The tables named, each after the ones among them it refers to. */
    private static List<String> parentsFirst(Statement sql, List<String> tables) throws SQLException {
        Map<String, Set<String>> parents = new HashMap<>();
        for (String table : tables) {
            parents.put(table, new HashSet<>());
            try (ResultSet rs = sql.executeQuery("SELECT DISTINCT confrelid::regclass::text FROM pg_catalog.pg_constraint"
                    + " WHERE contype = 'f' AND conrelid = 'public." + table + "'::regclass AND confrelid <> conrelid")) {
                while (rs.next()) {
                    String parent = rs.getString(1).replaceFirst("^public\\.", "");
                    if (tables.contains(parent)) {
                        parents.get(table).add(parent);
                    }
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        while (ordered.size() < tables.size()) {
            for (String table : tables) {
                if (!ordered.contains(table) && ordered.containsAll(parents.get(table))) {
                    ordered.add(table);
                }
            }
        }
        return ordered;
    }

    private static List<String> primaryKey(Statement sql, String table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("SELECT a.attname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = 'public." + table + "'::regclass AND i.indisprimary"
                + " ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
            while (rs.next()) {
                key.add(rs.getString(1));
            }
        }
        if (key.isEmpty()) {
            throw new IllegalStateException("public." + table + " has no primary key: its rows cannot be matched with the backup's");
        }
        return key;
    }

    private static List<String> columns(Statement sql, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = 'public." + table + "'::regclass"
                + " AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    private static String tuple(String alias, List<String> columns) {
        return String.join(", ", columns.stream().map(c -> alias + "." + RestoreService.quote(c)).toList());
    }

    /** Tables of the public schema this transaction changed beyond those named (the audit log's partitions aside). */
    private static List<String> beyond(Statement sql, Set<String> named) throws SQLException {
        List<String> reached = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("""
                SELECT s.relname FROM pg_catalog.pg_stat_xact_user_tables s
                 WHERE s.schemaname = 'public' AND s.n_tup_ins + s.n_tup_upd + s.n_tup_del > 0
                   AND s.relid NOT IN (SELECT i.inhrelid FROM pg_catalog.pg_inherits i WHERE i.inhparent = 'public.audit_log'::regclass)
                   AND s.relname <> 'audit_log'
                 ORDER BY 1""")) {
            while (rs.next()) {
                if (!named.contains(rs.getString(1))) {
                    reached.add(rs.getString(1));
                }
            }
        }
        return reached;
    }

}
