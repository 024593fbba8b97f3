package org.heroesinwaiting.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code heroes}: the reference server's command line. Without a command it serves. */
@Command(name = "heroes", mixinStandardHelpOptions = true, version = "Heroes in Waiting 0.1.0",
        description = "The Heroes in Waiting reference server. Configuration comes from HEROES_* environment variables.",
        subcommands = CommandLine.HelpCommand.class)
public final class HeroesCommand implements Callable<Integer> {

    /** The exit code of {@code serve} once it runs: the process stays up and is not exited. */
    public static final int SERVING = -1;

    private final ServeCommand serve;

    /**
     * @param serve what runs without a command
     */
    public HeroesCommand(ServeCommand serve) {
        this.serve = serve;
    }

    @Override
    public Integer call() {
        return serve.call();
    }

    /**
     * @param config the configuration, read on first use
     * @return the command line with every command
     */
    public static CommandLine commandLine(ConfigSource config) {
        ServeCommand serve = new ServeCommand(config);
        CommandLine line = new CommandLine(new HeroesCommand(serve));
        line.addSubcommand("serve", serve);
        line.addSubcommand("migrate", new MigrateCommand(config));
        line.addSubcommand("db", new CommandLine(new DbCommand())
                .addSubcommand("bootstrap", new DbBootstrapCommand(config))
                .addSubcommand("create-users", new DbCreateUsersCommand(config)));
        line.addSubcommand("admin", new CommandLine(new AdminCommand())
                .addSubcommand("create", new AdminCreateCommand(config)));
        line.addSubcommand("curriculum", new CommandLine(new CurriculumCommand())
                .addSubcommand("import", new CurriculumImportCommand(config)));
        line.addSubcommand("jobs", new CommandLine(new JobsCommand())
                .addSubcommand("list", new JobsListCommand(config))
                .addSubcommand("run", new JobsRunCommand(config)));
        line.addSubcommand("retention", new CommandLine(new RetentionCommand())
                .addSubcommand("run", new RetentionRunCommand(config))
                .addSubcommand("status", new RetentionStatusCommand(config))
                .addSubcommand("report", new RetentionReportCommand(config)));
        line.addSubcommand("analytics", new CommandLine(new AnalyticsCommand())
                .addSubcommand("refresh", new AnalyticsRefreshCommand(config)));
        line.addSubcommand("backup", new CommandLine(new BackupCommand())
                .addSubcommand("run", new BackupRunCommand(config))
                .addSubcommand("list", new BackupListCommand(config))
                .addSubcommand("verify", new BackupVerifyCommand(config))
                .addSubcommand("cleanup", new BackupCleanupCommand(config))
                .addSubcommand("archive-command", new BackupArchiveCommandCommand(config)));
        line.addSubcommand("recover", new RecoverCommand(config));
        line.addSubcommand("restore", new CommandLine(new RestoreCommand())
                .addSubcommand("full", new RestoreFullCommand(config))
                .addSubcommand("tables", new RestoreTablesCommand(config)));
        return line;
    }
}
