package org.heroesinwaiting.server.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the reference server is configured with (DESIGN.md section 5). {@code Main} reads it
 * from the environment ({@link EnvironmentConfig}); a host embedding the server builds it itself.
 *
 * @param dataDir embedded database, generated keys and default backups
 * @param database the application database
 * @param http the HTTP listener and its limits
 * @param auth tokens and registration
 * @param content lesson media
 * @param analytics a replica for analytics, when there is one
 * @param backup backups and the PostgreSQL programs
 */
public record ServerConfig(
        Path dataDir, Database database, Http http, Auth auth, Content content, Analytics analytics, Backup backup) {

    /** Validates. */
    public ServerConfig {
        requireNonNull(dataDir, "dataDir");
        requireNonNull(database, "database");
        requireNonNull(http, "http");
        requireNonNull(auth, "auth");
        requireNonNull(content, "content");
        requireNonNull(analytics, "analytics");
        requireNonNull(backup, "backup");
    }

    /** @return whether the server runs its own embedded PostgreSQL (no {@code HEROES_DATABASE_URL}) */
    public boolean embeddedDatabase() {
        return database.url().isEmpty();
    }

    /**
     * The application database and the logins that manage it.
     *
     * @param url JDBC URL; empty for the embedded database
     * @param user the application login
     * @param password its password
     * @param ownerUser the owner, for migrations
     * @param ownerPassword its password
     * @param superuser a superuser for {@code db bootstrap} and {@code db create-users}
     * @param superuserPassword its password
     * @param readonlyPassword set on {@code heroes_readonly} by {@code db create-users}
     * @param analyticsPassword set on {@code heroes_analytics} by {@code db create-users}
     * @param migrateOnStart migrate before serving (the embedded database always does)
     */
    public record Database(
            Optional<String> url,
            String user,
            String password,
            String ownerUser,
            String ownerPassword,
            String superuser,
            String superuserPassword,
            String readonlyPassword,
            String analyticsPassword,
            boolean migrateOnStart) {

        /** Never prints a password. */
        @Override
        public String toString() {
            return "Database[url=" + url.orElse("embedded") + ", user=" + user + ", owner=" + ownerUser
                    + ", superuser=" + superuser + ", migrateOnStart=" + migrateOnStart + "]";
        }
    }

    /**
     * @param port TCP port
     * @param maxBodyBytes the largest request body accepted
     * @param adminAllow who may call {@code /api/v1/admin}
     * @param trustedProxies whose {@code X-Forwarded-For} is believed
     * @param drainTimeout how long stopping waits for requests in flight
     */
    public record Http(int port, long maxBodyBytes, CidrList adminAllow, CidrList trustedProxies, Duration drainTimeout) {
    }

    /**
     * @param jwtKeys the keyring file; empty: generated into the data dir
     * @param issuer the JWT {@code iss}
     * @param accessTokenTtl how long an access token lasts
     * @param refreshTokenTtl how long a refresh token lasts
     * @param studentTokenTtl how long a student token lasts
     * @param openRegistration whether anyone may register (empty: true for the embedded default)
     * @param adminPassword the password {@code heroes admin create} sets, when not prompted for
     * @param hashing the password-hashing pool; empty fields: the library's default for this machine
     */
    public record Auth(
            Optional<Path> jwtKeys,
            String issuer,
            Duration accessTokenTtl,
            Duration refreshTokenTtl,
            Duration studentTokenTtl,
            Optional<Boolean> openRegistration,
            Optional<String> adminPassword,
            Hashing hashing) {

        /** Never prints the admin password. */
        @Override
        public String toString() {
            return "Auth[jwtKeys=" + jwtKeys + ", issuer=" + issuer + ", accessTokenTtl=" + accessTokenTtl + ", refreshTokenTtl="
                    + refreshTokenTtl + ", studentTokenTtl=" + studentTokenTtl + ", openRegistration=" + openRegistration
                    + ", hashing=" + hashing + "]";
        }
    }

    /**
     * The password-hashing pool (Argon2id checks for logins and registrations), each field empty
     * for the library's default on this machine ({@code HashingPool.forThisMachine}).
     *
     * @param threads hashes that run at once
     * @param queue hashes that may wait; more are answered 503 with {@code Retry-After}
     * @param busyShare the share of its time each thread may hash, above 0 and at most 1
     */
    public record Hashing(Optional<Integer> threads, Optional<Integer> queue, Optional<Double> busyShare) {

        /** The library's defaults for this machine. */
        public static final Hashing DEFAULTS = new Hashing(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * @param dir lesson media on disk
     * @param baseUrl public base URL of the media (a CDN)
     */
    public record Content(Optional<Path> dir, Optional<URI> baseUrl) {
    }

    /**
     * @param url JDBC URL of a replica for analytics; empty: the main database
     * @param user its login
     * @param password its password
     * @param maxReplayLag {@code HEROES_ANALYTICS_MAX_REPLAY_LAG}: how far behind its primary the
     *     replica may replay before {@code /health} degrades
     */
    public record Analytics(Optional<String> url, String user, String password, Duration maxReplayLag) {

        /** Validates. */
        public Analytics {
            requireNonNull(url, "url");
            requireNonNull(user, "user");
            requireNonNull(password, "password");
            requireNonNull(maxReplayLag, "maxReplayLag");
        }

        /** Never prints the password. */
        @Override
        public String toString() {
            return "Analytics[url=" + url.orElse("main database") + ", user=" + user + ", maxReplayLag=" + maxReplayLag + "]";
        }
    }

    /**
     * @param dir where backups go
     * @param user the backup login
     * @param password its password
     * @param keys the backup encryption keyring, when backups are encrypted
     * @param pgBin where the PostgreSQL programs are, when not in the usual places
     * @param physical {@code HEROES_PHYSICAL_BACKUPS}: {@code auto} (on for the embedded database
     *     when pgBackRest is installed), {@code on} (required: the server refuses to start without
     *     it; for a server the DBA set {@code archive_command} on), or {@code off}
     * @param archiveMaxDelay {@code HEROES_WAL_ARCHIVE_MAX_DELAY}: how old the oldest WAL not yet
     *     archived may grow before {@code /health} degrades (the recovery point at risk)
     */
    public record Backup(Path dir, String user, String password, Optional<Path> keys, Optional<Path> pgBin, String physical,
            Duration archiveMaxDelay) {

        public Backup {
            if (!List.of("auto", "on", "off").contains(physical)) {
                throw new ConfigurationException("HEROES_PHYSICAL_BACKUPS", "is auto, on or off, not " + physical);
            }
        }

        /** Never prints the password. */
        @Override
        public String toString() {
            return "Backup[dir=" + dir + ", user=" + user + ", keys=" + keys + ", pgBin=" + pgBin + ", physical=" + physical
                    + ", archiveMaxDelay=" + archiveMaxDelay + "]";
        }
    }
}
