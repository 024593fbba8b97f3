package org.heroesinwaiting.server.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesSettings;
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
     * @param maintenance the owner login, when configured
     * @return the library's settings they name
     * @throws ConfigurationException when the keyring cannot be read or is invalid
     */
    public static HeroesSettings settings(ServerConfig config, Optional<DataSource> maintenance) {
        HeroesSettings settings = settings(config);
        return maintenance.map(settings::withMaintenance).orElse(settings);
    }

    /**
     * @param config the configuration
     * @return the library's settings it names
     * @throws ConfigurationException when the keyring cannot be read or is invalid
     */
    public static HeroesSettings settings(ServerConfig config) {
        return HeroesSettings.of(readKeyring(config))
                .withIssuer(config.auth().issuer())
                .withTokenTtls(config.auth().accessTokenTtl(), config.auth().refreshTokenTtl())
                .withStudentTokenTtl(config.auth().studentTokenTtl());
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
