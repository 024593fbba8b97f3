package org.heroesinwaiting.server.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.AccessTokens;
import org.heroesinwaiting.core.auth.HashingPool;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.heroesinwaiting.core.auth.PasswordHasher;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.auth.DatabaseAdministration;
import org.heroesinwaiting.persistence.auth.DatabaseFacilitatorAccounts;
import org.heroesinwaiting.server.config.ConfigurationException;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.secrets.JwtKeyringFile;

/**
 * Adults' accounts and their administration, built from the configuration as {@code serve} and the
 * commands both need them.
 *
 * @param accounts accounts and sessions
 * @param administration what admins do
 */
public record AuthServices(DatabaseFacilitatorAccounts accounts, DatabaseAdministration administration) {

    /**
     * @param config the configuration (keyring, issuer, lifetimes)
     * @param app the application login
     * @param hashing where password hashing runs
     * @param clock what counts as now
     * @return both services
     * @throws ConfigurationException when the keyring cannot be read or is invalid
     */
    public static AuthServices create(ServerConfig config, DataSource app, HashingPool hashing, Clock clock) {
        TransactionRunner transactions = new TransactionRunner(HeroesJdbi.create(app));
        AccessTokens tokens = new AccessTokens(readKeyring(config), config.auth().issuer(), config.auth().accessTokenTtl(), clock);
        return new AuthServices(
                new DatabaseFacilitatorAccounts(transactions, PasswordHasher.standard(), hashing, tokens, config.auth().accessTokenTtl(),
                        config.auth().refreshTokenTtl()),
                new DatabaseAdministration(transactions, PasswordHasher.standard(), hashing, clock));
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
