package org.heroesinwaiting.server.cli;

import java.util.concurrent.Callable;
import org.heroesinwaiting.server.backup.PhysicalBackups;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.runtime.ServerLibrary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code heroes backup archive-command}. */
@Command(name = "archive-command", mixinStandardHelpOptions = true,
        description = {"Prints the postgresql.conf lines that archive every WAL segment through pgBackRest into this server's stanza",
            "(for a server of your own; the embedded database starts with them). Exits 1 when pgBackRest is not installed."})
public final class BackupArchiveCommandCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    BackupArchiveCommandCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        ServerConfig settings = config.get();
        PhysicalBackups.Plan plan = PhysicalBackups.plan(settings, true, ServerLibrary.tools(settings));
        String command = plan.archiveCommand().orElseThrow(() -> new CommandException("physical backups are " + plan.off()));
        spec.commandLine().getOut().printf("archive_mode = on%narchive_timeout = %s%narchive_command = '%s'%n", PhysicalBackups.ARCHIVE_TIMEOUT,
                command.replace("'", "''"));
        return 0;
    }
}
