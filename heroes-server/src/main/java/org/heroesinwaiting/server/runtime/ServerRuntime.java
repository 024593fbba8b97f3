package org.heroesinwaiting.server.runtime;

import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.persistence.DatabaseSettings;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.PooledDataSources;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.analytics.AnalyticsReader;
import org.heroesinwaiting.retention.RetentionService;
import org.heroesinwaiting.retention.backup.BackupCatalog;
import org.heroesinwaiting.retention.physical.WalArchiving;
import org.heroesinwaiting.server.HeroesServer;
import org.heroesinwaiting.server.analytics.AnalyticsReplicaCheck;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.curriculum.DefaultCurriculum;
import org.heroesinwaiting.server.health.DatabaseCheck;
import org.heroesinwaiting.server.health.HealthCheck;
import org.heroesinwaiting.server.jobs.JobRunner;
import org.heroesinwaiting.server.jobs.JobScheduler;
import org.heroesinwaiting.server.jobs.JobsCheck;
import org.heroesinwaiting.server.backup.BackupCheck;
import org.heroesinwaiting.server.backup.WalArchivingCheck;
import org.heroesinwaiting.server.backup.WalArchivingMetrics;
import org.heroesinwaiting.server.backup.BackupMetrics;
import org.heroesinwaiting.server.retention.RetentionCheck;
import org.heroesinwaiting.server.retention.RetentionMetrics;
import org.heroesinwaiting.server.metrics.ServerMetrics;
import org.heroesinwaiting.sql.HeroesDatabase;
import org.heroesinwaiting.sql.MigrationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./heroes serve}: the database, the pool, the jobs and the HTTP server, started in that
 * order and stopped in the reverse one: stop accepting and finish requests in flight (bounded),
 * stop the jobs, close the pool, stop the embedded database.
 */
public final class ServerRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);
    /** Admin reads of the analytics views are few and short. */
    private static final int ANALYTICS_POOL_SIZE = 2;

    private final DatabaseTarget database;
    private final HikariDataSource pool;
    private final Optional<HikariDataSource> analyticsPool;
    private final ServerMetrics metrics;
    private final JobScheduler scheduler;
    private final Heroes heroes;
    private final Javalin app;
    private final ServerConfig config;
    private boolean closed;

    private ServerRuntime(ServerConfig config, DatabaseTarget database, HikariDataSource pool, Optional<HikariDataSource> analyticsPool,
            ServerMetrics metrics, JobScheduler scheduler, Heroes heroes, Javalin app) {
        this.heroes = heroes;
        this.config = config;
        this.database = database;
        this.pool = pool;
        this.analyticsPool = analyticsPool;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.app = app;
    }

    /**
     * @param config the configuration
     * @param allowBypassRls serve even as a login that bypasses row level security
     * @return the running server
     * @throws HeroesException when a part cannot start; what did start is stopped again
     */
    public static ServerRuntime start(ServerConfig config, boolean allowBypassRls) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            DatabaseTarget database = DatabaseTarget.forServe(config);
            started.add(database);
            if (!database.isEmbedded() && config.database().migrateOnStart()) {
                MigrationResult migration = HeroesDatabase.migrate(database.owner());
                LOG.info("migrated to version {}: {}", migration.currentVersion(), migration.applied());
            }
            ServerMetrics metrics = new ServerMetrics();
            started.add(metrics);
            HikariDataSource pool = allowBypassRls
                    ? PooledDataSources.create(database.app(), hikari -> hikari.setMetricRegistry(metrics.registry()))
                    : PooledDataSources.forApplication(database.app(), hikari -> hikari.setMetricRegistry(metrics.registry()));
            started.add(pool);
            requireConnection(pool);
            Optional<HikariDataSource> analyticsPool = analyticsReplica(config.analytics(), metrics);
            analyticsPool.ifPresent(started::add);

            Clock clock = Clock.systemUTC();
            Heroes heroes = ServerLibrary.create(config, pool, database, clock);
            started.add(heroes);
            JobRunner runner = new JobRunner(pool, metrics.registry(), clock);
            JobScheduler scheduler = JobScheduler.start(pool, heroes.jobs(), runner, JobScheduler.Settings.standard());
            started.add(scheduler);

            List<HealthCheck> checks = new ArrayList<>(DatabaseCheck.of(pool));
            checks.add(new JobsCheck(heroes.jobs(), runner, scheduler::isRunning));
            RetentionService retention = heroes.port(RetentionService.class);
            checks.add(new RetentionCheck(retention));
            metrics.bind(new RetentionMetrics(retention));
            BackupCatalog backups = new BackupCatalog(heroes.transactions());
            checks.add(new BackupCheck(backups));
            metrics.bind(new BackupMetrics(backups));
            Optional<WalArchiving> archiving = heroes.findPort(WalArchiving.class);
            checks.add(new WalArchivingCheck(database.physical(), archiving, config.backup().archiveMaxDelay(), clock));
            archiving.ifPresent(samples -> metrics.bind(new WalArchivingMetrics(samples)));
            if (database.isEmbedded()) {
                new DefaultCurriculum(heroes.curriculum()).installDefaultIfEmpty(HeroesServer.contentDir(config))
                        .ifPresent(report -> LOG.info("installed the default curriculum: {}", report));
            }
            AnalyticsReader analytics = analyticsPool.map(AnalyticsReader::on).orElseGet(() -> new AnalyticsReader(heroes.transactions()));
            if (analyticsPool.isPresent()) {
                checks.add(new AnalyticsReplicaCheck(analytics, config.analytics().maxReplayLag()));
            }
            Javalin app = HeroesServer.builder(config).library(heroes).analytics(analytics).metrics(metrics.registry()).healthChecks(checks)
                    .build();
            app.start(config.http().port());
            LOG.info("Heroes in Waiting serves http://localhost:{}/ (database {})", app.port(),
                    database.isEmbedded() ? "embedded in " + config.dataDir() : database.jdbcUrl());
            return new ServerRuntime(config, database, pool, analyticsPool, metrics, scheduler, heroes, app);
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** @return the HTTP port it listens on */
    public int port() {
        return app.port();
    }

    /** Stops everything, in order; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("stopping: no new requests; finishing those in flight (up to {})", config.http().drainTimeout());
        try {
            app.stop();
        } catch (RuntimeException e) {
            LOG.warn("requests still running after {} were cut off: {}", config.http().drainTimeout(), e.getMessage());
        }
        quietly("the job scheduler", scheduler::close);
        quietly("the library", heroes::close);
        quietly("the connection pool", pool::close);
        analyticsPool.ifPresent(replica -> quietly("the analytics replica's pool", replica::close));
        quietly("the database", database::close);
        quietly("metrics", metrics::close);
        LOG.info("stopped");
    }

    /**
     * Fails the start when the application login cannot connect, or is refused by the pool's row
     * level security guard (a superuser or BYPASSRLS login), rather than serving 503s.
     */
    private static void requireConnection(HikariDataSource pool) {
        try (Connection connection = pool.getConnection()) {
            connection.isValid(1);
        } catch (SQLException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String reason = cause.getMessage().replaceFirst("^ERROR: ", "").lines().findFirst().orElse("");
            if (SqlStates.has(e, "42501")) {
                throw new StartupException(reason + ", or pass --allow-bypass-rls", e);
            }
            throw new StartupException("cannot connect to the database as " + pool.getUsername() + ": " + reason, e);
        }
    }

    /**
     * The analytics replica's small read-only pool, when {@code HEROES_ANALYTICS_DATABASE_URL} names
     * one. It connects lazily: an unreachable replica degrades {@code /health} and answers the
     * analytics endpoints with 503, and the classrooms are served all the same.
     */
    private static Optional<HikariDataSource> analyticsReplica(ServerConfig.Analytics analytics, ServerMetrics metrics) {
        return analytics.url().map(url -> PooledDataSources.create(
                DatabaseSettings.of(url, analytics.user(), analytics.password()).withPoolSize(ANALYTICS_POOL_SIZE), hikari -> {
                    hikari.setPoolName("heroes-analytics-replica");
                    hikari.setReadOnly(true);
                    hikari.setMetricRegistry(metrics.registry());
                }));
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("stopping {} failed: {}", what, e.getMessage());
        }
    }
}
