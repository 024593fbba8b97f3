package org.heroesinwaiting.retention.physical;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.DedicatedServer;
import org.heroesinwaiting.testkit.TestDatabase;

/**
 * What the physical tests share: a cluster of a test class's own whose WAL the real pgBackRest
 * archives into a repository under the class's folder, a migrated database on it, and the stanza,
 * created, connecting as {@code heroes_backup} to that database (where bootstrap.sql granted it the
 * backup functions).
 *
 * @param server the cluster
 * @param database the migrated database on it
 * @param pgBackRest the stanza
 */
public record ArchivedCluster(DedicatedServer server, TestDatabase database, PgBackRest pgBackRest) implements AutoCloseable {

    /**
     * @param folder the test class's folder: the repository ({@code repo}) and pgBackRest's work folder ({@code work}) go there
     * @param archiveFulls the fulls whose WAL the repository keeps whole
     * @return the cluster, archiving, with its stanza created
     */
    public static ArchivedCluster start(Path folder, int archiveFulls) {
        return start(folder, archiveFulls, Optional.empty());
    }

    /**
     * @param folder the test class's folder
     * @param archiveFulls the fulls whose WAL the repository keeps whole
     * @param cipherPass the repository's passphrase, when it is to be encrypted
     * @return the cluster, archiving, with its stanza created
     */
    public static ArchivedCluster start(Path folder, int archiveFulls, Optional<String> cipherPass) {
        PgBackRestConfig paths = new PgBackRestConfig("heroes", folder.resolve("repo"), folder.resolve("work"), Path.of("/"), 5432,
                Path.of("/tmp"), DatabaseLogin.BACKUP.roleName(), "postgres");
        // the archive command needs only the configuration file's path, known before the cluster runs
        DedicatedServer server = DedicatedServer.start(Map.of("archive_mode", "on", "wal_level", "replica", "archive_timeout", "60",
                "archive_command", "'" + PgBackRest.find(ExternalTools.system(), paths).archiveCommand() + "'"));
        TestDatabase database = server.databases().create();
        PgBackRestConfig config = new PgBackRestConfig("heroes", paths.repository(), paths.work(), server.dataDirectory(), server.port(),
                Path.of("/tmp"), DatabaseLogin.BACKUP.roleName(), database.name(), PgBackRestConfig.DEFAULT_SAFETY_CAP_DAYS, archiveFulls);
        PgBackRest pgBackRest = PgBackRest.find(ExternalTools.system(), cipherPass.map(config::withCipherPass).orElse(config))
                .withPassword(database.password(DatabaseLogin.BACKUP));
        pgBackRest.stanzaCreate();
        return new ArchivedCluster(server, database, pgBackRest);
    }

    /** @return transactions on the application login */
    public TransactionRunner catalog() {
        return new TransactionRunner(HeroesJdbi.create(database.dataSource(DatabaseLogin.APP)));
    }

    /** @return the database as the backup login */
    public BackupTarget backupTarget() {
        return BackupTarget.of(database.jdbcUrl(), DatabaseLogin.BACKUP.roleName(), database.password(DatabaseLogin.BACKUP));
    }

    /** @return the physical backups of the database */
    public PhysicalBackupService physicalBackups() {
        return new PhysicalBackupService(catalog(), backupTarget(), pgBackRest);
    }

    /**
     * Dates catalog rows of backups days earlier, as if they had been made then (pgBackRest's own
     * labels keep their real time): how a test lets backups pass their class.
     *
     * @param ids backup_log ids
     * @param days how many days earlier
     */
    public void age(List<Long> ids, int days) {
        database.jdbi(DatabaseLogin.OWNER).useHandle(handle -> handle.createUpdate("""
                UPDATE backup_log SET started_at = started_at - make_interval(days => :days), finished_at = finished_at - make_interval(days => :days),
                       snapshot_at = snapshot_at - make_interval(days => :days), expires_at = expires_at - make_interval(days => :days)
                 WHERE id = ANY(:ids)""").bind("days", days).bind("ids", ids.toArray(Long[]::new)).execute());
    }

    @Override
    public void close() {
        database.close();
        server.close();
    }
}
