package org.heroesinwaiting.server.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesSettings;
import org.heroesinwaiting.retention.BackupSettings;
import org.heroesinwaiting.retention.backup.BackupKeyring;
import org.heroesinwaiting.server.config.ConfigurationException;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.secrets.JwtKeyringFile;

/** The library as the server's configuration asks for it: {@code serve} and every command build it here. */
public final class ServerLibrary {

    private ServerLibrary() {
    }

    /**
     * @param config the configuration (keyring, issuer, lifetimes)
     * @param app the application login
     * @param maintenance the owner login, for upkeep after a large retention run, when configured
     * @param clock Java's "now"
     * @return the library with every module on the class path
     * @throws ConfigurationException when the keyring cannot be read or is invalid
     */
    public static Heroes create(ServerConfig config, DataSource app, Optional<DataSource> maintenance, Clock clock) {
        return Heroes.create(settings(config, maintenance), app, clock);
    }

    /**
     * @param config the configuration
     * @param app the application login
     * @param database the database served (its owner for upkeep, its backup login and superuser for backups)
     * @param clock Java's "now"
     * @return the library with every module on the class path, backups included
     */
    public static Heroes create(ServerConfig config, DataSource app, DatabaseTarget database, Clock clock) {
        return Heroes.create(settings(config, database), app, clock);
    }

    /**
     * @param config the configuration
     * @param maintenance the owner login, when configured
     * @return the library's settings they name
     * @throws ConfigurationException when the keyring cannot be read or is invalid
     */
    public static HeroesSettings settings(ServerConfig config, Optional<DataSource> maintenance) {
        HeroesSettings settings = settings(config);
        return maintenance.map(settings::withMaintenance).orElse(settings);
    }

    /**
     * The settings {@code serve} and the commands use: those of the configuration, the owner for
     * upkeep when known, and backups of the database (the backup login, {@code HEROES_BACKUP_DIR},
     * {@code HEROES_BACKUP_KEYS}, the superuser for restore drills, {@code HEROES_PG_BIN}, and
     * pgBackRest's stanza when physical backups are on).
     *
     * @param config the configuration
     * @param database the database served
     * @return the library's settings
     * @throws ConfigurationException when the keyring cannot be read or is invalid
     * @throws org.heroesinwaiting.retention.backup.BackupKeysException when HEROES_BACKUP_KEYS is set and unusable
     */
    public static HeroesSettings settings(ServerConfig config, DatabaseTarget database) {
        BackupSettings backups = new BackupSettings(database.backupTarget(), config.backup().dir(),
                config.backup().keys().map(BackupKeyring::read), Optional.of(database.clusterLogin()), tools(config))
                .withRecoveries(config.dataDir().resolve("recovered"));
        return settings(config, database.maintenance()).with(BackupSettings.class,
                database.physical().pgBackRest().map(backups::withPhysical).orElse(backups));
    }

    /**
     * The PostgreSQL programs and pgBackRest: {@code HEROES_PG_BIN} as configured, then Debian's folders, then the PATH.
     *
     * @param config the configuration
     * @return where programs are found
     */
    public static ExternalTools tools(ServerConfig config) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.remove("HEROES_PG_BIN");
        config.backup().pgBin().ifPresent(bin -> environment.put("HEROES_PG_BIN", bin.toString()));
        return ExternalTools.of(environment, Path.of("/usr/lib/postgresql"));
    }

    /**
     * @param config the configuration
     * @return the library's settings it names
     * @throws ConfigurationException when the keyring cannot be read or is invalid
     */
    public static HeroesSettings settings(ServerConfig config) {
        HeroesSettings settings = HeroesSettings.of(readKeyring(config))
                .withIssuer(config.auth().issuer())
                .withTokenTtls(config.auth().accessTokenTtl(), config.auth().refreshTokenTtl())
                .withStudentTokenTtl(config.auth().studentTokenTtl());
        ServerConfig.Hashing hashing = config.auth().hashing();
        return settings.withHashing(hashing.threads().orElse(settings.hashingThreads()), hashing.queue().orElse(settings.hashingQueue()),
                hashing.busyShare().orElse(settings.hashingBusyShare()));
    }

    private static JwtKeyring readKeyring(ServerConfig config) {
        Path file = JwtKeyringFile.ensure(config);
        try {
            return JwtKeyring.parse(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigurationException("HEROES_JWT_KEYS", "cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("HEROES_JWT_KEYS", file + ": " + e.getMessage());
        }
    }
}
