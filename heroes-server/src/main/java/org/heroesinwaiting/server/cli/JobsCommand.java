package org.heroesinwaiting.server.cli;

import picocli.CommandLine.Command;

/** {@code heroes jobs}. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "The scheduled jobs: list them, or run one now (for system cron instead of the server's scheduler).")
public final class JobsCommand {
}
