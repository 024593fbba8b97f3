package org.heroesinwaiting.server.cli;

import picocli.CommandLine.Command;

/** {@code heroes db}: the superuser's steps. */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Superuser steps: bootstrap (extensions, roles) and create-users (the logins).")
public final class DbCommand {
}
