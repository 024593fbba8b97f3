package org.heroesinwaiting.core.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs a host runs, by name: what the composition root hands out ({@code heroes.jobs()}), with
 * every module's jobs in it, for a scheduler and for {@code ./heroes jobs run <name>}.
 *
 * <pre>{@code
 * Job job = heroes.jobs().find("expire-sessions").orElseThrow();
 * }</pre>
 *
 * @param jobs the jobs, in the order {@code ./heroes jobs list} shows them
 */
public record JobCatalog(List<Job> jobs) {

    /** Refuses two jobs of one name. */
    public JobCatalog {
        jobs = List.copyOf(jobs);
        Map<String, Job> byName = new LinkedHashMap<>();
        for (Job job : jobs) {
            if (byName.put(job.name(), job) != null) {
                throw new IllegalArgumentException("two jobs are named " + job.name());
            }
        }
    }

    /**
     * @param name a job's name
     * @return the job
     */
    public Optional<Job> find(String name) {
        return jobs.stream().filter(job -> job.name().equals(name)).findFirst();
    }

    /** @return the names, for messages */
    public List<String> names() {
        return jobs.stream().map(Job::name).toList();
    }
}
