package org.heroesinwaiting.retention;

import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesModule;
import org.heroesinwaiting.retention.backup.BackupService;
import org.heroesinwaiting.retention.recovery.RestoreService;

/**
 * Adds backups to the composition root when the host gives {@link BackupSettings}: the {@link
 * BackupService} port and the {@code backups} job (the schedules of {@code backup_schedules}, once
 * across instances), and with a superuser the {@link RestoreService} port and the weekly {@code
 * backup-drill} job. Without the settings it adds nothing. Found through {@link java.util.ServiceLoader}.
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
            into.job(new BackupScheduleJob(heroes.transactions(), made));
            settings.superuser().ifPresent(superuser -> {
                RestoreService restores = new RestoreService(heroes.transactions(), superuser, settings.tools());
                RestoreService opening = settings.keys().map(restores::withKeys).orElse(restores);
                into.port(RestoreService.class, opening);
                into.job(new BackupDrillJob(heroes.transactions(), opening));
            });
        });
    }
}
