package org.heroesinwaiting.server.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobCatalog;
import org.heroesinwaiting.server.jobs.JobRun;
import org.heroesinwaiting.server.jobs.JobRunner;
import org.heroesinwaiting.server.jobs.JobTrigger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heroes jobs run <name>}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs one job now and records the run, as the scheduler would. Exits 1 when the run fails.",
            "Never overlaps a run of the same job elsewhere: that one wins, this one is recorded as skipped."})
public final class JobsRunCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<name>", description = "the job, as jobs list shows it")
    private String name;

    JobsRunCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            var pool = library.pool();
            JobCatalog catalog = library.heroes().jobs();
            Job job = catalog.find(name).orElse(null);
            if (job == null) {
                spec.commandLine().getErr().println("no job named " + name + "; the jobs are " + catalog.names());
                return 2;
            }
            JobRun run = new JobRunner(pool, new SimpleMeterRegistry(), Clock.systemUTC()).run(job, JobTrigger.COMMAND);
            spec.commandLine().getOut().println(job.name() + " " + run.outcome() + ": " + run.detail());
            return run.failed() ? 1 : 0;
        }
    }
}
