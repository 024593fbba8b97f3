package org.heroesinwaiting.retention.backup;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session that holds a backup's or a restore's row while it runs ({@code
 * V017__backup_holders.sql}): {@code app.backup_start} or {@code app.recovery_start}, called on
 * it, begins the row and takes the row's advisory lock for the session. While the session is open
 * the row is alive; when the process dies, the session ends with it and {@code app.backups_reap()}
 * marks the row failed. Close it only after the row is final.
 */
public final class HoldingSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HoldingSession.class);
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final Connection connection;
    private final long id;

    private HoldingSession(Connection connection, long id) {
        this.connection = connection;
        this.id = id;
    }

    /**
     * Begins a row on the connection, which the returned session then owns (it is closed when the
     * start fails).
     *
     * @param connection a new connection to the catalog's database, in autocommit
     * @param call the start function's query, returning the row's id ({@code SELECT app.backup_start(?, ?, ?, ?)})
     * @param arguments its parameters
     * @return the session, holding the row
     * @throws BackupBusyException when the start refuses because another is running
     * @throws InvalidValueException when the start refuses an argument (a schedule that does not exist)
     * @throws SQLException when the call fails otherwise
     */
    public static HoldingSession start(Connection connection, String call, List<?> arguments) throws SQLException {
        requireNonNull(connection, "connection");
        try (PreparedStatement start = connection.prepareStatement(call)) {
            for (int i = 0; i < arguments.size(); i++) {
                start.setObject(i + 1, arguments.get(i));
            }
            try (ResultSet rs = start.executeQuery()) {
                rs.next();
                return new HoldingSession(connection, rs.getLong(1));
            }
        } catch (SQLException e) {
            close(connection, e);
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new BackupBusyException(SqlStates.message(e), running(e), e);
            }
            if (SqlStates.INVALID_PARAMETER_VALUE.equals(e.getSQLState())) {
                throw new InvalidValueException(SqlStates.message(e), e);
            }
            throw e;
        } catch (RuntimeException e) {
            close(connection, e);
            throw e;
        }
    }

    /**
     * Begins a backup's row, held by a new session of the backup login ({@code app.backup_start}).
     * When the login cannot connect, the row is begun on the catalog's own login, to record that as
     * the failure.
     *
     * @param catalog transactions on the application login
     * @param target the database and the backup login
     * @param request the backup's kind, format and schedule
     * @param alone whether to refuse while another backup of the same family (logical, physical) runs
     * @return the session, holding the row
     * @throws BackupBusyException when alone and another backup is running (nothing is recorded)
     * @throws InvalidValueException when the schedule named does not exist or makes another kind (nothing is recorded)
     * @throws BackupFailedException when the backup login cannot connect (the row records why)
     */
    public static HoldingSession begin(TransactionRunner catalog, BackupTarget target, BackupRequest request, boolean alone) {
        Connection connection;
        try {
            connection = target.connect("heroes-backup");
        } catch (SQLException e) {
            long id = catalog.selfContained(handle -> handle.attach(BackupDao.class)
                    .begin(request.kind().wireName(), request.format().wireName(), request.schedule().orElse(null)));
            String why = "cannot connect as " + target.user() + ": " + SqlStates.message(e);
            catalog.selfContained(handle -> handle.attach(BackupDao.class).failed(id, why));
            LOG.warn("backup {} failed: {}", id, why);
            throw new BackupFailedException(id, why, e);
        }
        try {
            return start(connection, "SELECT app.backup_start(?, ?, ?, ?)",
                    Arrays.asList(request.kind().wireName(), request.format().wireName(), request.schedule().orElse(null), alone));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot begin a backup: " + SqlStates.message(e), e);
        }
    }

    /** @return the id of the row it holds */
    public long id() {
        return id;
    }

    /** @return its connection, for the work itself (a snapshot's transaction, say); the hold outlives its transactions */
    public Connection connection() {
        return connection;
    }

    /**
     * Records the row's final state, then ends the hold. A thread interrupted to stop the work (a
     * server shutting down) still records it: the flag is cleared while recording (a pool refuses
     * an interrupted thread a connection) and set again after.
     *
     * @param record writes the final state (succeeded, failed), through any connection
     */
    public void finish(Runnable record) {
        boolean interrupted = Thread.interrupted();
        try {
            record.run();
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                // the row is final, or the failure to make it so is on its way up; the server ends the session either way
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends the session, and with it the hold. */
    @Override
    public void close() throws SQLException {
        connection.close();
    }

    private static long running(SQLException e) {
        String detail = e instanceof PSQLException psql && psql.getServerErrorMessage() != null ? psql.getServerErrorMessage().getDetail() : null;
        try {
            return detail == null ? 0 : Long.parseLong(detail.strip());
        } catch (NumberFormatException notAnId) {
            return 0;
        }
    }

    private static void close(Connection connection, Exception failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
