package org.heroesinwaiting.server.runtime;

import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.auth.HashingPool;
import org.heroesinwaiting.persistence.PooledDataSources;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.activity.DatabaseClassroomReports;
import org.heroesinwaiting.persistence.activity.DatabaseClassroomSessions;
import org.heroesinwaiting.persistence.activity.DatabaseStudentActivity;
import org.heroesinwaiting.persistence.curriculum.DatabaseCurriculum;
import org.heroesinwaiting.server.activity.ActivityController;
import org.heroesinwaiting.server.activity.ReportController;
import org.heroesinwaiting.server.activity.SessionController;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.curriculum.CurriculumFiles;
import org.heroesinwaiting.server.HeroesServer;
import org.heroesinwaiting.server.ServerServices;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.health.DatabaseCheck;
import org.heroesinwaiting.server.health.HealthCheck;
import org.heroesinwaiting.server.jobs.JobCatalog;
import org.heroesinwaiting.server.jobs.JobRunner;
import org.heroesinwaiting.server.jobs.JobScheduler;
import org.heroesinwaiting.server.jobs.JobsCheck;
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

    private final DatabaseTarget database;
    private final HikariDataSource pool;
    private final ServerMetrics metrics;
    private final JobScheduler scheduler;
    private final HashingPool hashing;
    private final Javalin app;
    private final ServerConfig config;
    private boolean closed;

    private ServerRuntime(ServerConfig config, DatabaseTarget database, HikariDataSource pool, ServerMetrics metrics,
            JobScheduler scheduler, HashingPool hashing, Javalin app) {
        this.hashing = hashing;
        this.config = config;
        this.database = database;
        this.pool = pool;
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
            HikariDataSource pool = PooledDataSources.create(database.app(),
                    hikari -> hikari.setMetricRegistry(metrics.registry()));
            started.add(pool);
            refuseRlsBypass(pool, allowBypassRls);

            Clock clock = Clock.systemUTC();
            JobRunner runner = new JobRunner(pool, metrics.registry(), clock);
            JobCatalog catalog = JobCatalog.standard(pool);
            JobScheduler scheduler = JobScheduler.start(pool, catalog, runner, JobScheduler.Settings.standard());
            started.add(scheduler);

            List<HealthCheck> checks = new ArrayList<>(DatabaseCheck.of(pool));
            checks.add(new JobsCheck(catalog, runner, scheduler::isRunning));
            HashingPool hashing = HashingPool.forThisMachine(HASHING_QUEUE);
            started.add(hashing);
            AuthServices auth = AuthServices.create(config, pool, hashing, clock);
            ClassroomServices classes = ClassroomServices.create(config, pool, clock);
            DatabaseCurriculum curriculum = new DatabaseCurriculum(new TransactionRunner(HeroesJdbi.create(pool)), clock);
            if (database.isEmbedded()) {
                new CurriculumFiles(curriculum).installDefaultIfEmpty(HeroesServer.contentDir(config))
                        .ifPresent(report -> LOG.info("installed the default curriculum: {}", report));
            }
            TransactionRunner transactions = new TransactionRunner(HeroesJdbi.create(pool));
            List<Controller> features = List.of(
                    new SessionController(new DatabaseClassroomSessions(transactions, clock), config.http().maxBodyBytes()),
                    new ActivityController(new DatabaseStudentActivity(transactions, clock), config.http().maxBodyBytes()),
                    new ReportController(new DatabaseClassroomReports(transactions)));
            Javalin app = HeroesServer.create(config, new ServerServices(metrics.registry(), checks, features, auth.accounts(),
                    auth.administration(), classes.classrooms(), classes.students(), curriculum));
            app.start(config.http().port());
            LOG.info("Heroes in Waiting serves http://localhost:{}/ (database {})", app.port(),
                    database.isEmbedded() ? "embedded in " + config.dataDir() : database.jdbcUrl());
            return new ServerRuntime(config, database, pool, metrics, scheduler, hashing, app);
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
        quietly("password hashing", hashing::close);
        quietly("the connection pool", pool::close);
        quietly("the database", database::close);
        quietly("metrics", metrics::close);
        LOG.info("stopped");
    }

    /** Hashes that may wait for a thread; past that, logins answer 503 with Retry-After. */
    private static final int HASHING_QUEUE = 64;

    private static void refuseRlsBypass(HikariDataSource pool, boolean allowed) {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")) {
            rs.next();
            if ((rs.getBoolean(2) || rs.getBoolean(3)) && !allowed) {
                throw new HeroesException("refusing to serve as " + rs.getString(1) + ": it is "
                        + (rs.getBoolean(2) ? "a superuser" : "a BYPASSRLS role")
                        + ", so row level security would silently not apply; use heroes_app, or pass --allow-bypass-rls");
            }
        } catch (SQLException e) {
            throw new HeroesException("cannot connect to the database as " + pool.getUsername() + ": " + e.getMessage(), e);
        }
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
