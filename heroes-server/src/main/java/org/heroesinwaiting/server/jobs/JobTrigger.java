package org.heroesinwaiting.server.jobs;

/** Who started a job run, as {@code job_runs.trigger} records it. */
public enum JobTrigger {
    /** The server's scheduler. */
    SCHEDULER("scheduler"),
    /** {@code ./heroes jobs run <name>}, from a shell or system cron. */
    COMMAND("command");

    private final String column;

    JobTrigger(String column) {
        this.column = column;
    }

    String column() {
        return column;
    }
}
