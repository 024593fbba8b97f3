package org.heroesinwaiting.server.support;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.AccessTokens;
import org.heroesinwaiting.core.auth.ClientInfo;
import org.heroesinwaiting.core.auth.HashingPool;
import org.heroesinwaiting.core.auth.JwtKey;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.core.auth.PasswordHasher;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.auth.DatabaseAdministration;
import org.heroesinwaiting.persistence.auth.DatabaseFacilitatorAccounts;
import org.heroesinwaiting.server.HeroesServer;
import org.heroesinwaiting.server.ServerServices;

/** The HTTP app with real accounts on a test database, as the server wires it. */
public final class AuthApps {

    /** The key every test token is signed with. */
    public static final JwtKeyring KEYRING = new JwtKeyring(List.of(new JwtKey("test-key", "t".repeat(32).getBytes(StandardCharsets.US_ASCII), true)));
    /** A password the policy accepts. */
    public static final String PASSWORD = "correct horse battery staple";

    private AuthApps() {
    }

    /**
     * @param app the application login
     * @param hashing where hashing runs
     * @return accounts as the server builds them
     */
    public static DatabaseFacilitatorAccounts accounts(DataSource app, HashingPool hashing) {
        return accounts(app, hashing, PasswordHasher.standard());
    }

    /**
     * A hasher cheaper than production's, for a test that makes hundreds of accounts and logins and
     * is about what happens around the hash, not the hash itself (the robustness run).
     *
     * @return Argon2id at 1 MiB and one pass
     */
    public static PasswordHasher cheapHasher() {
        return new PasswordHasher(1024, 1, 1);
    }

    /**
     * @param app the application login
     * @param hashing where hashing runs
     * @param hasher how passwords are hashed
     * @return accounts as the server builds them, with that hasher
     */
    public static DatabaseFacilitatorAccounts accounts(DataSource app, HashingPool hashing, PasswordHasher hasher) {
        Clock clock = Clock.systemUTC();
        return new DatabaseFacilitatorAccounts(new TransactionRunner(HeroesJdbi.create(app)), hasher, hashing,
                new AccessTokens(KEYRING, "heroes-in-waiting", Duration.ofMinutes(15), clock), Duration.ofMinutes(15),
                Duration.ofDays(30));
    }

    /**
     * @param environment configuration over the defaults
     * @param accounts the accounts
     * @return an unstarted app with the test routes (echo, boom, admin ping) too
     */
    public static Javalin app(Map<String, String> environment, DatabaseFacilitatorAccounts accounts) {
        return HeroesServer.create(TestApps.config(environment), new ServerServices(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(), List.of(TestApps.testRoutes(1 << 20)), accounts, null));
    }

    /**
     * @param environment configuration over the defaults
     * @param accounts the accounts
     * @param administration what admins do
     * @return an unstarted app with the admin routes and the test routes
     */
    public static Javalin app(Map<String, String> environment, DatabaseFacilitatorAccounts accounts, DatabaseAdministration administration) {
        return HeroesServer.create(TestApps.config(environment), new ServerServices(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(), List.of(TestApps.testRoutes(1 << 20)), accounts, administration));
    }

    /**
     * @param app the application login
     * @param hashing where hashing runs
     * @return administration as the server builds it
     */
    public static DatabaseAdministration administration(DataSource app, HashingPool hashing) {
        return administration(app, hashing, PasswordHasher.standard());
    }

    /**
     * @param app the application login
     * @param hashing where hashing runs
     * @param hasher how passwords are hashed
     * @return administration as the server builds it, with that hasher
     */
    public static DatabaseAdministration administration(DataSource app, HashingPool hashing, PasswordHasher hasher) {
        return new DatabaseAdministration(new TransactionRunner(HeroesJdbi.create(app)), hasher, hashing, Clock.systemUTC());
    }

    /**
     * @param accounts the accounts
     * @param email the account to create
     * @param role {@code facilitator} or {@code admin}
     * @return an access token of a fresh session of it
     */
    public static String tokenOf(DatabaseFacilitatorAccounts accounts, String email, String role) {
        accounts.register(new NewFacilitator(email, PASSWORD, "Someone", role), ClientInfo.unknown());
        return accounts.login(email, PASSWORD, ClientInfo.unknown()).accessToken();
    }
}
