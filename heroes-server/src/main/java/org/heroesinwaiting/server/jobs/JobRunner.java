package org.heroesinwaiting.server.jobs;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job once and records it in {@code job_runs} and in metrics, whoever asked: the scheduler
 * or a command. A run holds a PostgreSQL advisory lock named after the job, so a run from system
 * cron never overlaps one from the scheduler: the second is recorded as {@code skipped}.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final int DETAIL_LIMIT = 4000;

    private final DataSource dataSource;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final String instance;

    /**
     * @param dataSource the application login
     * @param metrics where run counts and durations go
     * @param clock what counts as now
     */
    public JobRunner(DataSource dataSource, MeterRegistry metrics, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource");
        this.metrics = requireNonNull(metrics, "metrics");
        this.clock = requireNonNull(clock, "clock");
        this.instance = instanceName();
    }

    /** @return this process, as {@code job_runs.instance} names it: {@code host:pid} */
    public String instance() {
        return instance;
    }

    /**
     * @param job the job
     * @param trigger who asked
     * @return the recorded run
     * @throws HeroesException when the run cannot be recorded (the database is unreachable)
     */
    public JobRun run(Job job, JobTrigger trigger) {
        Instant started = clock.instant();
        try (Connection lockHolder = dataSource.getConnection()) {
            if (!tryLock(lockHolder, job.name())) {
                JobRun skipped = insert(job.name(), trigger, started, "skipped", started, "another run of this job was in progress");
                count(job.name(), "skipped");
                return skipped;
            }
            try {
                long id = insert(job.name(), trigger, started, "running", null, null).id();
                Timer.Sample sample = Timer.start(metrics);
                String outcome;
                String detail;
                try {
                    JobOutcome result = job.run();
                    outcome = "succeeded";
                    detail = result.detail();
                } catch (RuntimeException e) {
                    outcome = "failed";
                    detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    LOG.warn("job {} failed", job.name(), e);
                }
                sample.stop(Timer.builder("heroes.job.duration").tag("job", job.name()).tag("outcome", outcome)
                        .description("How long job runs take").register(metrics));
                count(job.name(), outcome);
                return finish(id, outcome, detail);
            } finally {
                unlock(lockHolder, job.name());
            }
        } catch (SQLException e) {
            count(job.name(), "failed");
            throw new JobHistoryException("cannot record a run of " + job.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param limit how many, newest first
     * @return recent runs of every job
     */
    public List<JobRun> recentRuns(int limit) {
        return query("SELECT * FROM job_runs ORDER BY started_at DESC, id DESC LIMIT ?", statement -> statement.setInt(1, limit));
    }

    /**
     * @param jobName a job
     * @return its latest run, if it ever ran
     */
    public Optional<JobRun> lastRun(String jobName) {
        return query("SELECT * FROM job_runs WHERE job_name = ? ORDER BY started_at DESC, id DESC LIMIT 1",
                statement -> statement.setString(1, jobName)).stream().findFirst();
    }

    private JobRun insert(String job, JobTrigger trigger, Instant started, String outcome, Instant finished, String detail)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("""
                        INSERT INTO job_runs (job_name, trigger, instance, started_at, finished_at, outcome, detail)
                        VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *""")) {
            statement.setString(1, job);
            statement.setString(2, trigger.column());
            statement.setString(3, instance);
            statement.setTimestamp(4, Timestamp.from(started));
            statement.setTimestamp(5, finished == null ? null : Timestamp.from(finished));
            statement.setString(6, outcome);
            statement.setString(7, detail);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return map(rs);
            }
        }
    }

    private JobRun finish(long id, String outcome, String detail) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "UPDATE job_runs SET outcome = ?, detail = ?, finished_at = greatest(?, started_at) WHERE id = ? RETURNING *")) {
            statement.setString(1, outcome);
            statement.setString(2, detail.length() > DETAIL_LIMIT ? detail.substring(0, DETAIL_LIMIT) : detail);
            statement.setTimestamp(3, Timestamp.from(clock.instant()));
            statement.setLong(4, id);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return map(rs);
            }
        }
    }

    private void count(String job, String outcome) {
        Counter.builder("heroes.job.runs").tag("job", job).tag("outcome", outcome)
                .description("Job runs by outcome").register(metrics).increment();
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private List<JobRun> query(String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            List<JobRun> runs = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    runs.add(map(rs));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new JobHistoryException("cannot read job runs: " + e.getMessage(), e);
        }
    }

    private static JobRun map(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new JobRun(rs.getLong("id"), rs.getString("job_name"), rs.getString("trigger"), rs.getString("instance"),
                rs.getTimestamp("started_at").toInstant(), Optional.ofNullable(finished).map(Timestamp::toInstant),
                rs.getString("outcome"), rs.getString("detail"));
    }

    private static boolean tryLock(Connection connection, String job) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext('heroes-job:' || ?))")) {
            statement.setString(1, job);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection, String job) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext('heroes-job:' || ?))")) {
            statement.setString(1, job);
            statement.execute();
        }
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String name = host + ":" + ProcessHandle.current().pid();
        return name.length() > 200 ? name.substring(0, 200) : name;
    }
}
