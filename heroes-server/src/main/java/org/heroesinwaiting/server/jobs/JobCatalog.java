package org.heroesinwaiting.server.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.persistence.jobs.AuditPartitionsJob;
import org.heroesinwaiting.persistence.jobs.ExpireSessionsJob;
import org.heroesinwaiting.persistence.jobs.PurgeJoinThrottleJob;

/**
 * The jobs the server runs, by name. Later features add theirs here.
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
     * @param app the application login
     * @return the server's jobs
     */
    public static JobCatalog standard(DataSource app) {
        return new JobCatalog(List.of(new ExpireSessionsJob(app), new PurgeJoinThrottleJob(app), new AuditPartitionsJob(app)));
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
