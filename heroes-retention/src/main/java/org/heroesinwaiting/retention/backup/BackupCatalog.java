package org.heroesinwaiting.retention.backup;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.jdbi.v3.core.Handle;

/** Reads the backup catalog: one backup with its files and row counts, or the latest ones. */
public final class BackupCatalog {

    /** What a page's cursor says before the id its page ended at (base64url, opaque to clients). */
    private static final String CURSOR = "backup:";

    private final TransactionRunner transactions;

    /** @param transactions transactions on a login that reads the catalog (the application's) */
    public BackupCatalog(TransactionRunner transactions) {
        this.transactions = requireNonNull(transactions, "transactions");
    }

    /**
     * @param id a row of {@code backup_log}
     * @return that backup, when there is one
     */
    public Optional<BackupRecord> find(long id) {
        return transactions.selfContained(handle -> read(handle, "WHERE b.id = :id", id).stream().findFirst());
    }

    /**
     * @param limit at most this many (1 to 1,000)
     * @return the latest backups, newest first
     */
    public List<BackupRecord> latest(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000, not " + limit);
        }
        return transactions.selfContained(handle -> read(handle, "ORDER BY b.started_at DESC, b.id DESC LIMIT " + limit, 0));
    }

    /**
     * @param limit at most this many (1 to {@link Page#MAXIMUM_LIMIT})
     * @param cursor where the previous page ended ({@link Page#nextCursor()}), or {@code null} for the first page
     * @return backups, newest first
     * @throws IllegalArgumentException when the cursor is not one this catalog made
     */
    public Page<BackupRecord> page(int limit, String cursor) {
        if (limit < 1 || limit > Page.MAXIMUM_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + Page.MAXIMUM_LIMIT + ", not " + limit);
        }
        long before = cursor == null || cursor.isEmpty() ? Long.MAX_VALUE : parseCursor(cursor);
        List<BackupRecord> rows = transactions.selfContained(handle -> read(handle, "WHERE b.id < :id ORDER BY b.id DESC LIMIT " + (limit + 1),
                before));
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<BackupRecord> items = rows.subList(0, limit);
        String next = Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR + items.get(limit - 1).id()).getBytes(StandardCharsets.UTF_8));
        return new Page<>(items, next);
    }

    private static long parseCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR)) {
                return Long.parseLong(text.substring(CURSOR.length()));
            }
        } catch (IllegalArgumentException malformed) {
            // NumberFormatException is one too: said below
        }
        throw new IllegalArgumentException("not a cursor this server made: " + cursor);
    }

    /**
     * @param backupId a backup
     * @param limit at most this many (1 to 1,000)
     * @return its restores and restore drills, newest first, a running one included
     */
    public List<BackupRecovery> recoveries(long backupId, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000, not " + limit);
        }
        return transactions.selfContained(handle -> handle.createQuery("""
                SELECT id, kind, target_database, status, started_at, finished_at, error FROM recovery_log
                 WHERE backup_id = :backup ORDER BY id DESC LIMIT :limit""").bind("backup", backupId).bind("limit", limit)
                .map((rs, ctx) -> new BackupRecovery(rs.getLong("id"), rs.getString("kind"), rs.getString("target_database"),
                        rs.getString("status"), rs.getObject("started_at", OffsetDateTime.class).toInstant(), instant(rs, "finished_at"),
                        Optional.ofNullable(rs.getString("error")))).list());
    }

    /** @return each kind's last success and failures, the newest full backup and the last restore drill */
    public BackupHealth health() {
        return transactions.selfContained(handle -> {
            List<BackupHealth.Kind> kinds = handle.createQuery("""
                    SELECT k.kind, last.finished_at, coalesce(last.size_bytes, 0) AS size_bytes,
                           extract(epoch FROM last.finished_at - last.started_at) AS seconds,
                           (SELECT count(*) FROM backup_log b WHERE b.kind = k.kind AND b.status = 'failed') AS failures
                      FROM (VALUES ('full'), ('archive'), ('physical-full'), ('daily')) AS k(kind)
                      LEFT JOIN LATERAL (SELECT b.started_at, b.finished_at,
                                                coalesce((SELECT sum(f.size_bytes) FROM backup_files f WHERE f.backup_id = b.id),
                                                         b.repository_bytes) AS size_bytes
                                           FROM backup_log b WHERE b.kind = k.kind AND b.status IN ('succeeded', 'expired', 'deleted')
                                          ORDER BY b.finished_at DESC LIMIT 1) last ON true""")
                    .map((rs, ctx) -> new BackupHealth.Kind(rs.getString("kind"), instant(rs, "finished_at"), rs.getLong("size_bytes"),
                            rs.getObject("seconds") == null ? Optional.empty()
                                    : Optional.of(Duration.ofMillis(Math.round(rs.getDouble("seconds") * 1000))),
                            rs.getLong("failures"))).list();
            Optional<BackupHealth.Newest> newest = handle.createQuery("""
                    SELECT id, finished_at, verified_at, verification, extract(epoch FROM now() - finished_at) AS age FROM backup_log
                     WHERE kind = 'full' AND status = 'succeeded' ORDER BY finished_at DESC, id DESC LIMIT 1""")
                    .map((rs, ctx) -> new BackupHealth.Newest(rs.getLong("id"), instant(rs, "finished_at").orElseThrow(),
                            instant(rs, "verified_at"), Optional.ofNullable(rs.getString("verification")),
                            Duration.ofMillis(Math.round(rs.getDouble("age") * 1000)))).findOne();
            Optional<BackupHealth.Drill> drill = handle.createQuery("""
                    SELECT backup_id, finished_at, status, error FROM recovery_log WHERE kind = 'drill' ORDER BY id DESC LIMIT 1""")
                    .map((rs, ctx) -> new BackupHealth.Drill(rs.getLong("backup_id"), instant(rs, "finished_at"), rs.getString("status"),
                            Optional.ofNullable(rs.getString("error")))).findOne();
            return new BackupHealth(kinds, newest, drill);
        });
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    private static List<BackupRecord> read(Handle handle, String tail, long id) {
        return handle.createQuery("""
                SELECT b.id, b.kind, b.format, b.status, b.started_at, b.snapshot_at, b.verification, b.key_id, b.finished_at, b.error,
                       b.verified_at, b.verification_detail, b.retention_class, b.expires_at, b.keep, b.server_version,
                       ARRAY(SELECT f.path FROM backup_files f WHERE f.backup_id = b.id ORDER BY f.path) AS paths,
                       ARRAY(SELECT f.size_bytes FROM backup_files f WHERE f.backup_id = b.id ORDER BY f.path) AS sizes,
                       ARRAY(SELECT f.sha256 FROM backup_files f WHERE f.backup_id = b.id ORDER BY f.path) AS hashes,
                       ARRAY(SELECT t.key FROM jsonb_each_text(coalesce(b.table_rows, '{}')) t ORDER BY t.key) AS tables,
                       ARRAY(SELECT t.value::bigint FROM jsonb_each_text(coalesce(b.table_rows, '{}')) t ORDER BY t.key) AS counts
                  FROM backup_log b\s""" + tail).bindMap(tail.contains(":id") ? Map.of("id", id) : Map.of())
                .map((rs, ctx) -> {
                    String[] paths = (String[]) rs.getArray("paths").getArray();
                    Long[] sizes = (Long[]) rs.getArray("sizes").getArray();
                    String[] hashes = (String[]) rs.getArray("hashes").getArray();
                    List<BackupFile> files = new ArrayList<>();
                    for (int i = 0; i < paths.length; i++) {
                        files.add(new BackupFile(Path.of(paths[i]), sizes[i], hashes[i]));
                    }
                    String[] tables = (String[]) rs.getArray("tables").getArray();
                    Long[] counts = (Long[]) rs.getArray("counts").getArray();
                    Map<String, Long> rows = new LinkedHashMap<>();
                    for (int i = 0; i < tables.length; i++) {
                        rows.put(tables[i], counts[i]);
                    }
                    return new BackupRecord(rs.getLong("id"), BackupKind.fromWire(rs.getString("kind")), BackupFormat.fromWire(rs.getString("format")),
                            rs.getString("status"), rs.getObject("started_at", OffsetDateTime.class).toInstant(), instant(rs, "snapshot_at"),
                            files, rows, Optional.ofNullable(rs.getString("verification")), Optional.ofNullable(rs.getString("key_id")),
                            instant(rs, "finished_at"), Optional.ofNullable(rs.getString("error")), instant(rs, "verified_at"),
                            Optional.ofNullable(rs.getString("verification_detail")), rs.getString("retention_class"), instant(rs, "expires_at"),
                            rs.getBoolean("keep"), Optional.ofNullable(rs.getString("server_version")));
                }).list();
    }
}
