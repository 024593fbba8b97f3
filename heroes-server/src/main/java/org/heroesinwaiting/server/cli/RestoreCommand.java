package org.heroesinwaiting.server.cli;

import picocli.CommandLine.Command;

/** {@code heroes restore}. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restores from a logical backup as the superuser (HEROES_SUPERUSER): full into a new database, or tables",
            "into the live one in one transaction. Every restore is recorded in recovery_log."})
public final class RestoreCommand {
}
