package org.heroesinwaiting.retention;

import java.util.Optional;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesModule;
import org.heroesinwaiting.retention.backup.BackupService;
import org.heroesinwaiting.retention.physical.PhysicalBackupService;
import org.heroesinwaiting.retention.physical.WalArchiving;
import org.heroesinwaiting.retention.recovery.PointInTimeRecovery;
import org.heroesinwaiting.retention.recovery.RecoveryRequests;
import org.heroesinwaiting.retention.recovery.RecoveryWorker;
import org.heroesinwaiting.retention.recovery.RestoreService;

/**
 * Adds backups to the composition root when the host gives {@link BackupSettings}: the {@link
 * BackupService} port, the {@link BackupTasks} port (backups and verifications off the caller's
 * thread) and the {@code backups} job (the schedules of {@code backup_schedules}, once across
 * instances), with pgBackRest the {@link PhysicalBackupService} and {@link WalArchiving} ports and the
 * {@code wal-archiving} job (and with a superuser {@link PointInTimeRecovery}), the {@link
 * RecoveryRequests} and {@link RecoveryWorker} ports, and with a superuser the {@link RestoreService}
 * port, the weekly {@code backup-drill} job and the {@code recoveries} job (the requests an admin
 * approved, every minute). Without the settings it adds nothing. Found through {@link java.util.ServiceLoader}.
 */
public final class BackupModule implements HeroesModule {

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public void install(Heroes heroes, Contributions into) {
        heroes.settings().extension(BackupSettings.class).ifPresent(settings -> {
            BackupService backups = new BackupService(heroes.transactions(), settings.target(), settings.root(), settings.tools(),
                    heroes.clock());
            BackupService made = settings.keys().map(backups::withKeys).orElse(backups);
            into.port(BackupService.class, made);
            Optional<PhysicalBackupService> physical = settings.physical()
                    .map(pgBackRest -> new PhysicalBackupService(heroes.transactions(), settings.target(), pgBackRest));
            physical.ifPresent(service -> {
                into.port(PhysicalBackupService.class, service);
                WalArchiving archiving = new WalArchiving(heroes.transactions(), settings.target());
                into.port(WalArchiving.class, archiving);
                into.job(new WalArchivingJob(archiving));
            });
            Optional<PointInTimeRecovery> pointInTime = settings.superuser().flatMap(superuser -> settings.physical()
                    .map(pgBackRest -> new PointInTimeRecovery(heroes.transactions(), superuser, settings.tools(), pgBackRest)));
            pointInTime.ifPresent(recovery -> into.port(PointInTimeRecovery.class, recovery));
            into.job(new BackupScheduleJob(heroes.transactions(), made, physical, pointInTime));
            Optional<RestoreService> opening = settings.superuser().map(superuser -> {
                RestoreService restores = new RestoreService(heroes.transactions(), superuser, settings.tools());
                return settings.keys().map(restores::withKeys).orElse(restores);
            });
            opening.ifPresent(restores -> {
                into.port(RestoreService.class, restores);
                into.job(new BackupDrillJob(heroes.transactions(), restores));
            });
            RecoveryRequests requests = new RecoveryRequests(heroes.transactions());
            into.port(RecoveryRequests.class, requests);
            RecoveryWorker worker = new RecoveryWorker(requests, opening, pointInTime, settings.recoveries());
            into.port(RecoveryWorker.class, worker);
            if (opening.isPresent()) {
                into.job(new RecoveryJob(worker));
            }
            BackupTasks tasks = new BackupTasks(made, opening);
            into.port(BackupTasks.class, tasks);
            into.closeWithRoot(tasks);
        });
    }
}
