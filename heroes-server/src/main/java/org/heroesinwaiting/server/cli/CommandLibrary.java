package org.heroesinwaiting.server.cli;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesSettings;
import org.heroesinwaiting.persistence.PooledDataSources;
import org.heroesinwaiting.retention.backup.BackupService;
import org.heroesinwaiting.retention.physical.PhysicalBackupService;
import org.heroesinwaiting.retention.recovery.ManagedCluster;
import org.heroesinwaiting.retention.recovery.PointInTimeRecovery;
import org.heroesinwaiting.retention.recovery.RestoreService;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.runtime.DatabaseTarget;
import org.heroesinwaiting.server.runtime.ServerLibrary;

/**
 * What a command works on: the configured database, a small application pool, and the library
 * built on it as {@code serve} builds it. Closing it closes all three, in reverse.
 */
final class CommandLibrary implements AutoCloseable {

    private final DatabaseTarget database;
    private final HikariDataSource pool;
    private final Heroes heroes;

    private CommandLibrary(DatabaseTarget database, HikariDataSource pool, Heroes heroes) {
        this.database = database;
        this.pool = pool;
        this.heroes = heroes;
    }

    /**
     * @param config the configuration
     * @return the library on the configured database
     */
    static CommandLibrary open(ServerConfig config) {
        return open(config, UnaryOperator.identity());
    }

    /**
     * @param config the configuration
     * @param adjust changes to the library's settings for this command (fewer hashing threads, say)
     * @return the library on the configured database
     */
    static CommandLibrary open(ServerConfig config, UnaryOperator<HeroesSettings> adjust) {
        DatabaseTarget database = DatabaseTarget.forCommand(config);
        HikariDataSource pool = null;
        try {
            pool = PooledDataSources.forApplication(database.app().withPoolSize(2));
            return new CommandLibrary(database, pool,
                    Heroes.create(adjust.apply(ServerLibrary.settings(config, database)), pool, Clock.systemUTC()));
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            database.close();
            throw e;
        }
    }

    Heroes heroes() {
        return heroes;
    }

    HikariDataSource pool() {
        return pool;
    }

    /** @return backups of the configured database into {@code HEROES_BACKUP_DIR}, encrypted when {@code HEROES_BACKUP_KEYS} is set */
    BackupService backups() {
        return heroes.port(BackupService.class);
    }

    /**
     * @return physical backups through pgBackRest, on the stanza {@code serve} created
     * @throws CommandException when they are off, saying why and what to install
     */
    PhysicalBackupService physical() {
        return heroes.findPort(PhysicalBackupService.class)
                .orElseThrow(() -> new CommandException("physical backups are " + database.physical().state()));
    }

    /** @return physical backups through pgBackRest, when on */
    Optional<PhysicalBackupService> physicalIfOn() {
        return heroes.findPort(PhysicalBackupService.class);
    }

    /**
     * @return point-in-time recovery through pgBackRest, as the cluster's superuser
     * @throws CommandException when physical backups are off, saying why
     */
    PointInTimeRecovery pointInTime() {
        return heroes.findPort(PointInTimeRecovery.class)
                .orElseThrow(() -> new CommandException("point-in-time recovery needs physical backups, which are " + database.physical().state()));
    }

    /**
     * @return the embedded cluster this command started, for a recovery in its place
     * @throws CommandException for a database of one's own, or while {@code serve} runs the embedded one
     */
    ManagedCluster liveCluster() {
        if (!database.isEmbedded()) {
            throw new CommandException("--in-place replaces the embedded database only. For a server of your own, recover without it and "
                    + "switch to the recovered cluster, or stop yours and move the recovered data directory into its place");
        }
        return database.managedCluster().orElseThrow(() -> new CommandException(
                "./heroes serve runs the embedded database: stop it first, since --in-place stops and replaces the cluster it runs"));
    }

    /** @return restores and drills as the cluster's superuser, decrypting with {@code HEROES_BACKUP_KEYS} when set */
    RestoreService restores() {
        return heroes.port(RestoreService.class);
    }

    @Override
    public void close() {
        try {
            heroes.close();
        } finally {
            try {
                pool.close();
            } finally {
                database.close();
            }
        }
    }
}
