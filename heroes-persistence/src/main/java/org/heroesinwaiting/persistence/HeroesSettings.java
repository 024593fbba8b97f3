package org.heroesinwaiting.persistence;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.HashingPool;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.heroesinwaiting.core.auth.PasswordHasher;

/**
 * What a host decides about the library, with a default for everything but the signing keys.
 *
 * <pre>{@code
 * HeroesSettings settings = HeroesSettings.of(JwtKeyring.parse(Files.readString(keys)))
 *         .withStudentTokenTtl(Duration.ofHours(6));
 * }</pre>
 *
 * @param keyring the keys access tokens are signed and verified with
 * @param issuer the access tokens' {@code iss}
 * @param accessTokenTtl how long an access token lasts
 * @param refreshTokenTtl how long a refresh token (and so a facilitator's session, unused) lasts
 * @param studentTokenTtl how long a student's token lasts
 * @param passwordHasher how passwords are hashed (Argon2id; {@link PasswordHasher#standard()})
 * @param hashingThreads hashes that run at once
 * @param hashingQueue hashes that may wait for a thread; past that, a login is refused at once
 *     ({@code HashingOverloadedException}: the server answers 503 with {@code Retry-After})
 * @param hashingBusyShare the share of its time each hashing thread may hash (above 0, at most 1;
 *     {@code HashingPool}): with the threads, how much of the machine a flood of logins can take
 * @param maintenance the owner login, for upkeep only a table's owner may do (after retention moved
 *     a large share of a table, {@code VACUUM} and {@code ANALYZE} it); empty: left to autovacuum
 * @param extensions the settings of modules above this one, by their type ({@link #with}): a module
 *     reads its own ({@link #extension}); this module never names them
 */
public record HeroesSettings(JwtKeyring keyring, String issuer, Duration accessTokenTtl, Duration refreshTokenTtl,
        Duration studentTokenTtl, PasswordHasher passwordHasher, int hashingThreads, int hashingQueue,
        double hashingBusyShare, Optional<DataSource> maintenance, Map<Class<?>, Object> extensions) {

    /** The tokens' issuer unless a host names another. */
    public static final String DEFAULT_ISSUER = "heroes-in-waiting";
    /** An access token's lifetime: short, because a refresh costs one round trip. */
    public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofMinutes(15);
    /** A refresh token's lifetime. */
    public static final Duration DEFAULT_REFRESH_TOKEN_TTL = Duration.ofDays(30);
    /** A student's token lasts a school day. */
    public static final Duration DEFAULT_STUDENT_TOKEN_TTL = Duration.ofHours(8);
    /**
     * Logins that may wait for a hashing thread. Not smaller: AuthBench's flood of 32 connections
     * with a queue of 16 turned into some 935 refused logins a second, each answered at once and
     * sent again at once, and the other requests' p99 rose 6.5x to 8.6x instead of 1.2x.
     */
    public static final int DEFAULT_HASHING_QUEUE = 64;

    /** Validates. */
    public HeroesSettings {
        requireNonNull(keyring, "keyring");
        requireNonNull(issuer, "issuer");
        requirePositive(accessTokenTtl, "accessTokenTtl");
        requirePositive(refreshTokenTtl, "refreshTokenTtl");
        requirePositive(studentTokenTtl, "studentTokenTtl");
        requireNonNull(passwordHasher, "passwordHasher");
        if (hashingThreads < 1 || hashingQueue < 1) {
            throw new IllegalArgumentException("hashingThreads and hashingQueue must be at least 1");
        }
        HashingPool.requireBusyShare(hashingBusyShare);
        requireNonNull(maintenance, "maintenance");
        extensions = Map.copyOf(extensions);
    }

    /**
     * @param keyring the signing keys
     * @return the defaults: {@value #DEFAULT_ISSUER}, 15-minute access tokens, 30-day refresh tokens,
     *     8-hour student tokens, the standard Argon2id, hashing that takes at most a quarter of the
     *     machine's cores ({@link HashingPool#forThisMachine}) with {@value #DEFAULT_HASHING_QUEUE} waiting
     */
    public static HeroesSettings of(JwtKeyring keyring) {
        return new HeroesSettings(keyring, DEFAULT_ISSUER, DEFAULT_ACCESS_TOKEN_TTL, DEFAULT_REFRESH_TOKEN_TTL,
                DEFAULT_STUDENT_TOKEN_TTL, PasswordHasher.standard(), HashingPool.threadsFor(Runtime.getRuntime().availableProcessors()),
                DEFAULT_HASHING_QUEUE, HashingPool.busyShareFor(Runtime.getRuntime().availableProcessors()), Optional.empty(), Map.of());
    }

    /**
     * @param value the issuer
     * @return a copy with it
     */
    public HeroesSettings withIssuer(String value) {
        return new HeroesSettings(keyring, value, accessTokenTtl, refreshTokenTtl, studentTokenTtl, passwordHasher, hashingThreads,
                hashingQueue, hashingBusyShare, maintenance, extensions);
    }

    /**
     * @param access an access token's lifetime
     * @param refresh a refresh token's lifetime
     * @return a copy with them
     */
    public HeroesSettings withTokenTtls(Duration access, Duration refresh) {
        return new HeroesSettings(keyring, issuer, access, refresh, studentTokenTtl, passwordHasher, hashingThreads, hashingQueue, hashingBusyShare, maintenance, extensions);
    }

    /**
     * @param value a student token's lifetime
     * @return a copy with it
     */
    public HeroesSettings withStudentTokenTtl(Duration value) {
        return new HeroesSettings(keyring, issuer, accessTokenTtl, refreshTokenTtl, value, passwordHasher, hashingThreads, hashingQueue, hashingBusyShare, maintenance, extensions);
    }

    /**
     * @param value the hasher (a cheaper one only in tests about what surrounds a hash)
     * @return a copy with it
     */
    public HeroesSettings withPasswordHasher(PasswordHasher value) {
        return new HeroesSettings(keyring, issuer, accessTokenTtl, refreshTokenTtl, studentTokenTtl, value, hashingThreads, hashingQueue, hashingBusyShare, maintenance, extensions);
    }

    /**
     * @param threads hashes that run at once
     * @param queue hashes that may wait
     * @return a copy with them (and the same busy share)
     */
    public HeroesSettings withHashing(int threads, int queue) {
        return withHashing(threads, queue, hashingBusyShare);
    }

    /**
     * @param threads hashes that run at once
     * @param queue hashes that may wait
     * @param busyShare the share of its time each thread may hash (1: all of it)
     * @return a copy with them
     */
    public HeroesSettings withHashing(int threads, int queue, double busyShare) {
        return new HeroesSettings(keyring, issuer, accessTokenTtl, refreshTokenTtl, studentTokenTtl, passwordHasher, threads, queue, busyShare, maintenance, extensions);
    }

    /**
     * @param owner the owner login ({@code heroes_owner}), whose pool the host owns and closes
     * @return a copy that vacuums and analyses a table as its owner after retention changed a large share of it
     */
    public HeroesSettings withMaintenance(DataSource owner) {
        return new HeroesSettings(keyring, issuer, accessTokenTtl, refreshTokenTtl, studentTokenTtl, passwordHasher, hashingThreads,
                hashingQueue, hashingBusyShare, Optional.of(owner), extensions);
    }

    /**
     * @param type the settings' type, which the module that reads them defines
     * @param value the settings
     * @param <T> the type
     * @return a copy with them (replacing any of that type)
     */
    public <T> HeroesSettings with(Class<T> type, T value) {
        requireNonNull(type, "type");
        requireNonNull(value, "value");
        Map<Class<?>, Object> more = new HashMap<>(extensions);
        more.put(type, value);
        return new HeroesSettings(keyring, issuer, accessTokenTtl, refreshTokenTtl, studentTokenTtl, passwordHasher, hashingThreads,
                hashingQueue, hashingBusyShare, maintenance, more);
    }

    /**
     * @param type a module's settings type
     * @param <T> the type
     * @return its settings, when the host gave them
     */
    public <T> Optional<T> extension(Class<T> type) {
        return Optional.ofNullable(extensions.get(type)).map(type::cast);
    }

    private static void requirePositive(Duration value, String name) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }
}
