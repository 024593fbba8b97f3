package org.heroesinwaiting.retention.physical;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.BackupBusyException;
import org.heroesinwaiting.retention.backup.BackupFailedException;
import org.heroesinwaiting.retention.backup.BackupFormat;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupRequest;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.retention.backup.HoldingSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The physical half of the backup catalog: the weekly physical full and the daily differential,
 * taken by the real pgBackRest and each recorded as a {@code backup_log} row with what {@code
 * pgbackrest info} says of it, and their expiry by the catalog's own classes ({@code
 * cleanup_old_backups()} marks, {@code pgbackrest expire --set} removes).
 *
 * <p>A backup's row is begun and held by a session of the backup login ({@code app.backup_start},
 * like a logical backup's), so a backup whose process dies is marked failed by {@code
 * app.backups_reap()}; one physical backup runs at a time.
 */
public final class PhysicalBackupService {

    private static final Logger LOG = LoggerFactory.getLogger(PhysicalBackupService.class);

    private final TransactionRunner catalog;
    private final BackupTarget target;
    private final PgBackRest pgBackRest;

    /**
     * @param catalog transactions on the application login, which records backups through the catalog's functions
     * @param target the catalog's database and the backup login, whose session holds each backup's row
     * @param pgBackRest the stanza of the cluster that database lives in
     */
    public PhysicalBackupService(TransactionRunner catalog, BackupTarget target, PgBackRest pgBackRest) {
        this.catalog = requireNonNull(catalog, "catalog");
        this.target = requireNonNull(target, "target");
        this.pgBackRest = requireNonNull(pgBackRest, "pgBackRest");
    }

    /** @return the pgBackRest stanza it drives */
    public PgBackRest pgBackRest() {
        return pgBackRest;
    }

    /**
     * Takes a physical backup: a full for {@code physical-full}, a differential on the newest full
     * for {@code daily} (pgBackRest makes it a full when the repository holds none, and the row
     * says so).
     *
     * @param kind {@code PHYSICAL_FULL} or {@code DAILY}
     * @param schedule the schedule making it ({@code daily}), which sets how long it is kept; empty for a manual backup
     * @return the backup, whole and recorded
     * @throws InvalidValueException when the kind is logical, or the schedule does not exist or makes another kind
     * @throws BackupBusyException when another physical backup is running (nothing is recorded)
     * @throws BackupFailedException when pgBackRest failed (the row records pgBackRest's own error)
     */
    public PhysicalBackupResult run(BackupKind kind, Optional<String> schedule) {
        requireNonNull(kind, "kind");
        requireNonNull(schedule, "schedule");
        if (!kind.isPhysical()) {
            throw new InvalidValueException("a " + kind.wireName() + " backup is logical (pg_dump, BackupService);"
                    + " pgBackRest makes physical-full and daily");
        }
        HoldingSession held = HoldingSession.begin(catalog, target, new BackupRequest(kind, BackupFormat.PGBACKREST, schedule), true);
        long id = held.id();
        long started = System.nanoTime();
        String type = kind == BackupKind.PHYSICAL_FULL ? "full" : "diff";
        LOG.info("backup {}: {} (pgBackRest {}) of stanza {}", id, kind.wireName(), type, pgBackRest.config().stanza());
        try {
            String label = pgBackRest.backup(type, Map.of("class", kind.wireName(), "catalog-id", Long.toString(id)));
            List<PhysicalBackup> repository = pgBackRest.info().backups();
            PhysicalBackup backup = repository.stream().filter(b -> b.label().equals(label)).findFirst()
                    .orElseThrow(() -> new PhysicalBackupException("pgbackrest info does not show the new backup " + label, 0, null));
            adoptPriors(backup, repository);
            held.finish(() -> catalog.selfContained(handle -> handle.attach(PhysicalDao.class).succeeded(id, backup.label(), backup.type(),
                    backup.prior().orElse(null), backup.walStart(), backup.walStop(), backup.lsnStart(), backup.lsnStop(),
                    OffsetDateTime.ofInstant(backup.stoppedAt(), ZoneOffset.UTC), backup.sizeBytes(), backup.repositoryBytes())));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("backup {}: {} {} ({} bytes of cluster, {} in the repository), WAL {} to {}, in {} ms", id, backup.type(), label,
                    backup.sizeBytes(), backup.repositoryBytes(), backup.walStart(), backup.walStop(), took.toMillis());
            return new PhysicalBackupResult(id, kind, backup, took);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            try {
                held.finish(() -> catalog.selfContained(handle -> handle.attach(PhysicalDao.class).failed(id, why)));
            } catch (RuntimeException recording) {
                e.addSuppressed(recording);
            }
            LOG.warn("backup {} failed: {}", id, why);
            throw new BackupFailedException(id, why, e);
        }
    }

    /**
     * Records the backups a new one builds on that the catalog does not hold (a DBA's own {@code
     * pgbackrest backup}, taken since the last full of the catalog), oldest first, so that cleanup
     * keeps them while the new one is kept.
     */
    private void adoptPriors(PhysicalBackup backup, List<PhysicalBackup> repository) {
        Deque<PhysicalBackup> outside = new ArrayDeque<>();
        Optional<String> prior = backup.prior();
        while (prior.isPresent()) {
            String label = prior.get();
            if (catalog.selfContained(handle -> handle.attach(PhysicalDao.class).byLabel(label)).isPresent()) {
                break;
            }
            PhysicalBackup found = repository.stream().filter(b -> b.label().equals(label)).findFirst()
                    .orElseThrow(() -> new PhysicalBackupException("pgbackrest info does not show " + label + ", which "
                            + backup.label() + " builds on", 0, null));
            outside.push(found);
            prior = found.prior();
        }
        for (PhysicalBackup adopt : outside) {
            long id = catalog.selfContained(handle -> handle.attach(PhysicalDao.class).adopt(adopt.label(), adopt.type(),
                    adopt.prior().orElse(null), adopt.walStart(), adopt.walStop(), adopt.lsnStart(), adopt.lsnStop(),
                    OffsetDateTime.ofInstant(adopt.startedAt(), ZoneOffset.UTC), OffsetDateTime.ofInstant(adopt.stoppedAt(), ZoneOffset.UTC),
                    adopt.sizeBytes(), adopt.repositoryBytes()));
            LOG.info("backup {}: recorded {}, made by pgBackRest outside the catalog, which {} builds on", id, adopt.label(), backup.label());
        }
    }

    /**
     * {@code pgbackrest verify}: every file of the repository, backups and WAL, against its
     * checksum; the outcome is recorded as the last verification of every physical backup it holds.
     *
     * @return what it found wrong, each as pgBackRest says it; empty when the repository is whole
     * @throws PhysicalBackupException when it could not verify at all (nothing is recorded)
     */
    public List<String> verify() {
        List<String> findings = pgBackRest.verify();
        String detail = findings.isEmpty() ? "pgbackrest verify: every backup and WAL segment matches its checksum"
                : "pgbackrest verify: " + String.join("; ", findings);
        long recorded = catalog.selfContained(handle -> handle.attach(PhysicalDao.class).verified(findings.isEmpty(), detail));
        LOG.info("pgbackrest verify: {} findings, recorded on {} physical backups", findings.size(), recorded);
        return findings;
    }

    /**
     * The physical half of the weekly cleanup: marks what is past its class ({@code
     * cleanup_old_backups()}, which keeps the point-in-time window), releases each retiring
     * repository (an older key's, {@link PgBackRestConfig#retiring}) in which the catalog keeps no
     * backup any more, then removes each expired physical backup from the current repository
     * ({@code expire --set}, newest first, so that a differential goes before its full) and marks it
     * {@code deleted}. One that pgBackRest already removed (with its full, or with its repository)
     * is marked deleted too; one it refuses stays expired for the next cleanup.
     *
     * @return what it removed, what it could not, and the repositories it released
     */
    public PhysicalCleanupResult cleanup() {
        List<PhysicalDao.Expired> expired = catalog.selfContained(handle -> {
            PhysicalDao dao = handle.attach(PhysicalDao.class);
            dao.markExpired();
            return dao.expired();
        });
        List<Long> deleted = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<Path> released = new ArrayList<>();
        List<PgBackRestConfig.Retiring> retiring = pgBackRest.config().retiring();
        if (expired.isEmpty() && retiring.isEmpty()) {
            return new PhysicalCleanupResult(deleted, failures, released);
        }
        List<PhysicalBackup> repository;
        try {
            repository = pgBackRest.info().backups();
        } catch (PhysicalBackupException e) {
            return new PhysicalCleanupResult(deleted, List.of("cannot read the repository: " + e.getMessage()), released);
        }
        Set<String> kept = catalog.selfContained(handle -> handle.attach(PhysicalDao.class).kept());
        Set<String> shown = repository.stream().map(PhysicalBackup::label).collect(Collectors.toSet());
        List<String> unseen = kept.stream().filter(label -> !shown.contains(label)).sorted().toList();
        if (!unseen.isEmpty() && !retiring.isEmpty()) {
            // never delete a repository on a view of it that misses what the catalog keeps
            failures.add("pgbackrest info does not show " + unseen + ", which the catalog keeps: no retiring repository is released");
        }
        // a retiring repository goes whole once it holds nothing the catalog keeps: pgBackRest never expires a
        // repository's last full, so its backups cannot all go one by one
        for (int index = retiring.size() + 1; index >= 2 && unseen.isEmpty(); index--) {
            int number = index;
            if (repository.stream().noneMatch(b -> b.repository() == number && kept.contains(b.label()))) {
                Path folder = retiring.get(index - 2).path();
                try {
                    pgBackRest.release(folder);
                    released.add(folder);
                    LOG.info("physical backup cleanup: released the retiring repository {} (repo{}): no kept backup is left in it", folder,
                            index);
                } catch (PhysicalBackupException e) {
                    failures.add("repository " + folder + ": " + e.getMessage());
                }
            }
        }
        Set<String> held = repository.stream().filter(b -> b.repository() == 1 || !released.contains(retiringPath(retiring, b)))
                .map(PhysicalBackup::label).collect(Collectors.toSet());
        for (PhysicalDao.Expired backup : expired) {
            try {
                if (held.contains(backup.label())) {
                    pgBackRest.expire(backup.label());
                }
                catalog.selfContained(handle -> handle.attach(PhysicalDao.class).deleted(backup.id()));
                deleted.add(backup.id());
            } catch (PhysicalBackupException e) {
                failures.add("backup " + backup.id() + " (" + backup.label() + "): " + e.getMessage());
            }
        }
        LOG.info("physical backup cleanup: {} backups expired from the repository, {} left for the next cleanup, {} repositories released",
                deleted.size(), failures.size(), released.size());
        return new PhysicalCleanupResult(deleted, failures, released);
    }

    private static Path retiringPath(List<PgBackRestConfig.Retiring> retiring, PhysicalBackup backup) {
        int index = backup.repository() - 2;
        return index >= 0 && index < retiring.size() ? retiring.get(index).path() : null;
    }
}
