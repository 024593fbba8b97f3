package org.heroesinwaiting.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobCatalog;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.server.health.HealthStatus;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JobSchedulerTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final JobScheduler.Settings FAST = new JobScheduler.Settings(
            Duration.ofMillis(100), 2, ZoneId.of("UTC"), Duration.ofSeconds(5));

    @Test
    void aJobThatTwoServerInstancesScheduleRunsOnceWhenDue(DataSource app) throws Exception {
        CountingJob job = new CountingJob("count-me");
        JobCatalog catalog = new JobCatalog(List.of(job));
        JobRunner runner = new JobRunner(app, new SimpleMeterRegistry(), Clock.systemUTC());

        try (JobScheduler first = JobScheduler.start(app, catalog, runner, FAST);
                JobScheduler second = JobScheduler.start(app, catalog, runner, FAST)) {
            assertThat(count(app, "SELECT count(*) FROM scheduled_tasks WHERE task_name = 'count-me'")).isEqualTo(1);
            makeDue(app, "count-me");

            assertThat(job.ran.await(30, TimeUnit.SECONDS)).as("the due run happened").isTrue();
            // both schedulers keep polling; the run is already rescheduled to the next cron time
            waitUntil(() -> count(app, "SELECT count(*) FROM scheduled_tasks WHERE task_name = 'count-me' "
                    + "AND NOT picked AND execution_time > now() + interval '1 hour'") == 1);
            first.close();
            second.close();
        }

        assertThat(job.runs.get()).isEqualTo(1);
        assertThat(count(app, "SELECT count(*) FROM job_runs WHERE job_name = 'count-me' AND trigger = 'scheduler' "
                + "AND outcome = 'succeeded' AND detail = 'counted 1'")).isEqualTo(1);
    }

    @Test
    void aFailingRunIsRecordedWithItsReasonAndDegradesHealth(DataSource app) {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        JobRunner runner = new JobRunner(app, metrics, Clock.systemUTC());
        Job failing = new FailingJob();
        JobCatalog catalog = new JobCatalog(List.of(failing));

        JobRun run = runner.run(failing, JobTrigger.COMMAND);

        assertThat(run.outcome()).isEqualTo("failed");
        assertThat(run.detail()).isEqualTo("the archive volume is full");
        assertThat(run.trigger()).isEqualTo("command");
        assertThat(run.finishedAt()).isPresent();
        assertThat(runner.lastRun("always-fails")).contains(run);
        assertThat(metrics.get("heroes.job.runs").tag("job", "always-fails").tag("outcome", "failed").counter().count())
                .isEqualTo(1.0);
        assertThat(new JobsCheck(catalog, runner, () -> true).check().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(new JobsCheck(catalog, runner, () -> false).check().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void aRunWhileAnotherRunOfTheSameJobIsInProgressIsSkipped(DataSource app) throws Exception {
        JobRunner runner = new JobRunner(app, new SimpleMeterRegistry(), Clock.systemUTC());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Job slow = new Job() {
            @Override public String name() { return "slow"; }
            @Override public String description() { return "waits"; }
            @Override public String schedule() { return "0 0 5 * * ?"; }
            @Override public JobOutcome run() {
                inside.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return JobOutcome.of("done");
            }
        };
        Thread scheduled = new Thread(() -> runner.run(slow, JobTrigger.SCHEDULER));
        scheduled.start();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

        JobRun fromCron = runner.run(slow, JobTrigger.COMMAND);
        release.countDown();
        scheduled.join(30_000);

        assertThat(fromCron.outcome()).isEqualTo("skipped");
        assertThat(runner.recentRuns(10)).extracting(JobRun::outcome).containsExactlyInAnyOrder("skipped", "succeeded");
    }

    @Test
    void theExpireSessionsJobRunsAsTheApplicationThroughTheSchemasFunction(DataSource app) {
        JobRunner runner = new JobRunner(app, new SimpleMeterRegistry(), Clock.systemUTC());
        JobCatalog catalog;
        try (Heroes heroes = TestHeroes.on(app)) {
            catalog = heroes.jobs();
        }

        JobRun run = runner.run(catalog.find("expire-sessions").orElseThrow(), JobTrigger.COMMAND);

        assertThat(run.outcome()).isEqualTo("succeeded");
        assertThat(run.detail()).isEqualTo("expired 0 facilitator sessions, 0 student sessions");
    }

    private static void makeDue(DataSource app, String job) throws SQLException {
        try (Connection connection = app.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "UPDATE scheduled_tasks SET execution_time = ? WHERE task_name = ?")) {
            statement.setTimestamp(1, Timestamp.from(Instant.now().minusSeconds(1)));
            statement.setString(2, job);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private static long count(DataSource app, String sql) {
        try (Connection connection = app.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static final class CountingJob implements Job {
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch ran = new CountDownLatch(1);
        private final String name;

        CountingJob(String name) {
            this.name = name;
        }

        @Override public String name() { return name; }
        @Override public String description() { return "counts its runs"; }
        @Override public String schedule() { return "0 0 3 1 1 ?"; } // once a year: only the forced run happens
        @Override public JobOutcome run() {
            int count = runs.incrementAndGet();
            ran.countDown();
            return JobOutcome.of("counted " + count);
        }
    }

    private static final class FailingJob implements Job {
        @Override public String name() { return "always-fails"; }
        @Override public String description() { return "fails"; }
        @Override public String schedule() { return "0 0 5 * * ?"; }
        @Override public JobOutcome run() {
            throw new IllegalStateException("the archive volume is full");
        }
    }
}
