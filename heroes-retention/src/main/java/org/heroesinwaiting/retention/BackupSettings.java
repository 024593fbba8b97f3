package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.retention.backup.BackupKeyring;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.retention.physical.PgBackRest;
import org.heroesinwaiting.retention.recovery.ClusterLogin;

/**
 * What the backup module needs from its host, given through {@code HeroesSettings.with(BackupSettings.class, ...)}:
 * with it, the composition root offers {@code BackupService} (and {@code RestoreService} when a
 * superuser is given) and schedules the {@code backups} and {@code backup-drill} jobs.
 *
 * @param target the database and the backup login pg_dump reads it as
 * @param root the backup root ({@code HEROES_BACKUP_DIR})
 * @param keys the keyring that encrypts backups, when they are to be encrypted ({@code HEROES_BACKUP_KEYS})
 * @param superuser the cluster's superuser, for restore drills and restores
 * @param tools where the PostgreSQL programs are found
 * @param physical the pgBackRest stanza of the database's cluster, when physical backups are on
 * @param recoveries where the recovery worker puts point-in-time recoveries (default {@code <root>/recovered})
 */
public record BackupSettings(BackupTarget target, Path root, Optional<BackupKeyring> keys, Optional<ClusterLogin> superuser,
        ExternalTools tools, Optional<PgBackRest> physical, Path recoveries) {

    public BackupSettings {
        requireNonNull(target, "target");
        requireNonNull(root, "root");
        requireNonNull(keys, "keys");
        requireNonNull(superuser, "superuser");
        requireNonNull(tools, "tools");
        requireNonNull(physical, "physical");
        requireNonNull(recoveries, "recoveries");
    }

    /** Logical backups only: physical backups off; recoveries under {@code <root>/recovered}. */
    public BackupSettings(BackupTarget target, Path root, Optional<BackupKeyring> keys, Optional<ClusterLogin> superuser, ExternalTools tools) {
        this(target, root, keys, superuser, tools, Optional.empty(), root.resolve("recovered"));
    }

    /**
     * @param pgBackRest the stanza of the database's cluster, its WAL archived through it
     * @return these settings with physical backups on (the weekly physical full, the dailies, pgbackrest verify)
     */
    public BackupSettings withPhysical(PgBackRest pgBackRest) {
        return new BackupSettings(target, root, keys, superuser, tools, Optional.of(pgBackRest), recoveries);
    }

    /**
     * @param folder where the recovery worker restores point-in-time recoveries, each in a folder named by its id
     * @return these settings with that folder
     */
    public BackupSettings withRecoveries(Path folder) {
        return new BackupSettings(target, root, keys, superuser, tools, physical, folder);
    }
}
