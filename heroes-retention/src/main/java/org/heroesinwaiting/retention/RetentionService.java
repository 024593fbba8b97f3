package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.heroesinwaiting.core.InterruptedOperationException;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data retention from Java: the deployment guide's policy (rows older than two years move to the
 * archive tables, archived rows older than three years are deleted) run in committed batches, with
 * the SQL functions of the database doing every move. The server's {@code retention} job and
 * {@code heroes retention} call it; any host gets it as a port of the composition root.
 *
 * <pre>{@code
 * RetentionService retention = heroes.port(RetentionService.class);
 * RetentionResult result = retention.run(RetentionRequest.all());
 * log.info("retention: {}", result.summary());
 * }</pre>
 *
 * <p>A run is one connection, one transaction per batch: a backlog of any size moves without a
 * long transaction, progress goes to the log, and a crash loses nothing (every committed batch is
 * whole; the next run marks the dead one interrupted and goes on). A second run while one is in
 * progress, from here or from psql, fails at once with {@link RetentionInProgressException}.
 */
public final class RetentionService {

    /** A run that changed at least this share of a table's rows vacuums and analyses it. */
    public static final double UPKEEP_SHARE = 0.10;

    private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final TransactionRunner transactions;
    private final Optional<DataSource> maintenance;

    /**
     * @param transactions the application login's
     * @param maintenance the owner login, for VACUUM and ANALYZE after a large run; empty: autovacuum does it
     */
    public RetentionService(TransactionRunner transactions, Optional<DataSource> maintenance) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.maintenance = requireNonNull(maintenance, "maintenance");
    }

    /**
     * @param heroes the composition root
     * @return the service on its transactions and its maintenance login ({@code HeroesSettings.withMaintenance})
     */
    public static RetentionService of(Heroes heroes) {
        return new RetentionService(heroes.transactions(), heroes.settings().maintenance());
    }

    /**
     * Runs retention as the request says.
     *
     * @param request what to run
     * @return what it did (for a dry run, what is due)
     * @throws RetentionInProgressException when another run is in progress
     * @throws RetentionDisabledException when the one table named has its policy disabled
     * @throws InvalidValueException when the table is not governed, or as_of lies ahead of the database's now()
     * @throws RetentionFailedException when a batch failed: every batch before it is committed
     */
    public RetentionResult run(RetentionRequest request) {
        requireNonNull(request, "request");
        long started = System.nanoTime();
        String table = request.table().orElse(null);
        OffsetDateTime asOf = request.asOf().map(moment -> moment.atOffset(ZoneOffset.UTC)).orElse(null);
        if (request.dryRun()) {
            return call(() -> transactions.selfContained(handle -> {
                RetentionDao dao = handle.attach(RetentionDao.class);
                Instant moment = dao.moment(asOf).toInstant();
                return new RetentionResult(OptionalLong.empty(), moment, true, dao.dryRun(table, asOf), since(started));
            }));
        }
        RetentionResult result = call(() -> transactions.selfContained(handle -> runBatches(handle.attach(RetentionDao.class), table, asOf,
                started)));
        return withUpkeep(result);
    }

    private RetentionResult runBatches(RetentionDao dao, String table, OffsetDateTime asOf, long started) {
        long run;
        try {
            run = dao.open(table, asOf);
        } catch (RuntimeException e) {
            // a lock taken by a start that failed after it must not stay with the pooled connection
            try {
                dao.unlockAll();
            } catch (RuntimeException unlock) {
                e.addSuppressed(unlock);
            }
            throw e;
        }
        Instant moment = dao.asOf(run).toInstant();
        LOG.info("retention run {} as of {}: started ({})", run, moment, table == null ? "every table" : table);
        RuntimeException failure = null;
        long batches = 0;
        long archived = 0;
        long purged = 0;
        long reported = System.nanoTime();
        try {
            for (RetentionDao.Batch batch = dao.nextBatch(run); !batch.finished(); batch = dao.nextBatch(run)) {
                batches++;
                archived += batch.archived();
                purged += batch.purged();
                LOG.debug("retention run {}, batch {}: {} archived {}, purged {}", run, batches, batch.step(), batch.archived(), batch.purged());
                if (System.nanoTime() - reported >= PROGRESS_EVERY.toNanos()) {
                    reported = System.nanoTime();
                    LOG.info("retention run {}: {} batches so far, {} rows archived, {} purged; now at {}", run, batches, archived, purged,
                            batch.step());
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedOperationException("running retention run " + run + " (the next run goes on from here)",
                            new InterruptedException());
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        List<TableResult> tables;
        try {
            tables = dao.close(run, failure == null ? null : describe(failure));
        } catch (RuntimeException e) {
            if (failure != null) {
                e.addSuppressed(failure);
            }
            try {
                dao.unlockAll();
            } catch (RuntimeException unlock) {
                e.addSuppressed(unlock);
            }
            throw e;
        }
        RetentionResult result = new RetentionResult(OptionalLong.of(run), moment, false, tables, since(started));
        if (failure != null) {
            LOG.warn("retention run {} failed after {} batches: {}", run, batches, describe(failure));
            throw new RetentionFailedException(result, translate(failure));
        }
        LOG.info("retention run {} as of {}: {} in {} ms", run, moment, result.summary(), result.took().toMillis());
        return result;
    }

    /** VACUUM (ANALYZE), as the owner, each table (and its archive) a run changed a large share of. */
    private RetentionResult withUpkeep(RetentionResult result) {
        List<TableResult> tables = new ArrayList<>();
        for (TableResult table : result.tables()) {
            tables.add(table.withUpkeep(upkeep(table)));
        }
        return new RetentionResult(result.runId(), result.asOf(), result.dryRun(), tables, result.took());
    }

    private Upkeep upkeep(TableResult table) {
        // audit months move whole (DETACH/ATTACH, DROP): they leave no dead rows behind
        if (table.changed() == 0 || table.table().equals("audit_log")) {
            return Upkeep.NONE;
        }
        long rows = call(() -> transactions.selfContained(handle -> handle.attach(RetentionDao.class).estimatedRows("public." + table.table())));
        if (table.changed() < UPKEEP_SHARE * Math.max(rows, 1)) {
            return Upkeep.NONE;
        }
        if (maintenance.isEmpty()) {
            return Upkeep.LEFT_TO_AUTOVACUUM;
        }
        try {
            MaintenanceDao owner = Jdbi.create(maintenance.get()).installPlugin(new SqlObjectPlugin()).onDemand(MaintenanceDao.class);
            owner.vacuum(table.table());
            if (table.archived() > 0) {
                owner.vacuum(table.table() + "_archive");
            }
            return Upkeep.VACUUMED;
        } catch (RuntimeException e) {
            LOG.warn("VACUUM (ANALYZE) {} as the owner failed; autovacuum will do it: {}", table.table(), e.getMessage());
            return Upkeep.FAILED;
        }
    }

    /** @return each governed table now: rows live, due, archived, due for deletion, last run */
    public List<TableStatus> status() {
        return call(() -> transactions.selfContained(handle -> handle.attach(RetentionDao.class).status()));
    }

    /** @return each policy with its last run and whether rows wait past their period (cheap: {@code /health} reads it) */
    public List<PolicyStatus> policies() {
        return call(() -> transactions.selfContained(handle -> handle.attach(RetentionDao.class).policies()));
    }

    /**
     * @param from the first UTC day
     * @param to the day after the last
     * @return per day and table: rows archived and purged, runs, failed runs
     * @throws InvalidValueException when {@code to} is before {@code from}
     */
    public List<ReportRow> report(LocalDate from, LocalDate to) {
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        return call(() -> transactions.selfContained(handle -> handle.attach(RetentionDao.class).report(from, to)));
    }

    /** @return every governed table, in the order a run takes them, with the rows every recorded run archived and purged */
    public List<TableTotals> totals() {
        return call(() -> transactions.selfContained(handle -> handle.attach(RetentionDao.class).totals()));
    }

    private static <T> T call(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** The retention functions' refusals, as the library's exceptions; anything else as it came. */
    static RuntimeException translate(RuntimeException failure) {
        if (SqlStates.has(failure, "55006")) {
            return new RetentionInProgressException(describe(failure), failure);
        }
        if (SqlStates.has(failure, "55000")) {
            return new RetentionDisabledException(describe(failure), failure);
        }
        if (SqlStates.has(failure, "22023")) {
            // the functions say which value and what they accept: an unknown table, a moment ahead
            return new InvalidValueException(describe(failure), failure);
        }
        return failure;
    }

    /** The database's own message, without the driver's decoration. */
    static String describe(Throwable failure) {
        return SqlStates.message(failure);
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
