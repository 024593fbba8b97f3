package org.heroesinwaiting.server.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobCatalog;
import org.heroesinwaiting.server.jobs.JobRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code heroes jobs list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the jobs with their schedule, next scheduled run and latest run.")
public final class JobsListCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    JobsListCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            var pool = library.pool();
            JobCatalog catalog = library.heroes().jobs();
            JobRunner runner = new JobRunner(pool, new SimpleMeterRegistry(), Clock.systemUTC());
            out.printf("%-20s %-18s %-22s %s%n", "JOB", "SCHEDULE", "NEXT RUN", "LATEST RUN");
            for (Job job : catalog.jobs()) {
                String latest = runner.lastRun(job.name())
                        .map(run -> run.startedAt() + " " + run.outcome() + " (" + run.trigger() + "): " + run.detail())
                        .orElse("never");
                out.printf("%-20s %-18s %-22s %s%n", job.name(), job.schedule(), nextRun(pool, job.name()), latest);
            }
            return 0;
        }
    }

    private static String nextRun(javax.sql.DataSource pool, String job) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT execution_time, picked FROM scheduled_tasks WHERE task_name = ? ORDER BY execution_time LIMIT 1")) {
            query.setString(1, job);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return "not scheduled";
                }
                return rs.getBoolean(2) ? "running now" : rs.getTimestamp(1).toInstant().toString();
            }
        }
    }
}
