package org.heroesinwaiting.server.cli;

import picocli.CommandLine.Command;

/** {@code heroes admin}. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Administrator accounts.")
public final class AdminCommand {
}
