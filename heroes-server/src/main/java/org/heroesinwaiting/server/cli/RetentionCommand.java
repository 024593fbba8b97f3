package org.heroesinwaiting.server.cli;

import picocli.CommandLine.Command;

/** {@code heroes retention}. */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = {"Data retention: rows older than the live period (2 years) move to the archive tables, archived rows older",
            "than the total period (3 years) are deleted. run works it off now; status and report say where it stands."})
public final class RetentionCommand {
}
