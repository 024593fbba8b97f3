package org.heroesinwaiting.server.jobs;

import static java.util.Objects.requireNonNull;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobCatalog;

/**
 * Runs the catalog's jobs on their cron schedules (in the server's time zone) with db-scheduler on
 * the application database: every instance of the server schedules them, and each due run is
 * picked by exactly one instance ({@code SELECT ... FOR UPDATE SKIP LOCKED}). Each run goes through
 * {@link JobRunner}, so it is recorded like one started by a command.
 */
public final class JobScheduler implements AutoCloseable {

    private final Scheduler scheduler;

    private JobScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * How the scheduler polls.
     *
     * @param pollingInterval how often each instance looks for due runs
     * @param threads how many runs one instance executes at once
     * @param zone the time zone of the cron expressions
     * @param shutdownWait how long stopping waits for runs in progress
     */
    public record Settings(Duration pollingInterval, int threads, ZoneId zone, Duration shutdownWait) {

        /** @return ten-second polling, two threads, the server's time zone, 30 s to finish runs on stop */
        public static Settings standard() {
            return new Settings(Duration.ofSeconds(10), 2, ZoneId.systemDefault(), Duration.ofSeconds(30));
        }
    }

    /**
     * @param dataSource the application login (it owns no table; it may use scheduled_tasks)
     * @param catalog the jobs
     * @param runner records each run
     * @param settings polling and time zone
     * @return a started scheduler
     */
    public static JobScheduler start(DataSource dataSource, JobCatalog catalog, JobRunner runner, Settings settings) {
        requireNonNull(dataSource, "dataSource");
        List<RecurringTask<Void>> tasks = new ArrayList<>();
        for (Job job : catalog.jobs()) {
            tasks.add(Tasks.recurring(job.name(), Schedules.cron(job.schedule(), settings.zone()))
                    .execute((instance, context) -> runner.run(job, JobTrigger.SCHEDULER)));
        }
        Scheduler scheduler = Scheduler.create(dataSource)
                .startTasks(tasks)
                .threads(settings.threads())
                .pollingInterval(settings.pollingInterval())
                .pollUsingLockAndFetch(0.5, 1.0)
                .schedulerName(new SchedulerName.Fixed(runner.instance()))
                .shutdownMaxWait(settings.shutdownWait())
                .build();
        scheduler.start();
        return new JobScheduler(scheduler);
    }

    /** @return whether it polls now */
    public boolean isRunning() {
        return scheduler.getSchedulerState().isStarted() && !scheduler.getSchedulerState().isShuttingDown();
    }

    /** Stops polling and waits (bounded) for runs in progress. */
    @Override
    public void close() {
        scheduler.stop();
    }
}
