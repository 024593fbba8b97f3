package org.heroesinwaiting.retention.physical;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.BackupTarget;

/**
 * Measures continuous archiving rather than promising it: {@link #sample()} takes a sample as the
 * backup login ({@code app.wal_archive_sample()}: {@code pg_stat_archiver} and the segments still
 * waiting in {@code pg_wal/archive_status}) and records it where the health report reads it;
 * {@link #latest()} reads the newest sample as the application login.
 */
public final class WalArchiving {

    private static final String COLUMNS = """
            sampled_at, archive_mode, archive_timeout_seconds, archived_count, failed_count, last_archived_at, last_failed_wal,
            last_failed_at, pending_segments, oldest_pending_at, failing""";

    private final TransactionRunner catalog;
    private final BackupTarget target;

    /**
     * @param catalog transactions on the application login, which reads the samples
     * @param target the database and the backup login, which may list {@code pg_wal/archive_status} (pg_monitor)
     */
    public WalArchiving(TransactionRunner catalog, BackupTarget target) {
        this.catalog = requireNonNull(catalog, "catalog");
        this.target = requireNonNull(target, "target");
    }

    /**
     * Takes a sample now and records it ({@code wal_archive_samples}, kept 35 days).
     *
     * @return the sample
     * @throws PhysicalBackupException when the backup login cannot take it
     */
    public WalArchiveSample sample() {
        try (Connection connection = target.connect("heroes-wal-archiving");
                Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT " + COLUMNS + " FROM app.wal_archive_sample()")) {
            rs.next();
            return read(rs);
        } catch (SQLException e) {
            throw new PhysicalBackupException("cannot sample WAL archiving as " + target.user() + ": " + SqlStates.message(e), -1, e);
        }
    }

    /** @return the newest recorded sample, if any */
    public Optional<WalArchiveSample> latest() {
        return catalog.selfContained(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM wal_archive_samples ORDER BY sampled_at DESC LIMIT 1")
                .map((rs, ctx) -> read(rs)).findOne());
    }

    private static WalArchiveSample read(ResultSet rs) throws SQLException {
        return new WalArchiveSample(instant(rs, "sampled_at").orElseThrow(), rs.getString("archive_mode"),
                Duration.ofSeconds(rs.getInt("archive_timeout_seconds")), rs.getLong("archived_count"), rs.getLong("failed_count"),
                instant(rs, "last_archived_at"), Optional.ofNullable(rs.getString("last_failed_wal")), instant(rs, "last_failed_at"),
                rs.getInt("pending_segments"), instant(rs, "oldest_pending_at"), rs.getBoolean("failing"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
