package org.heroesinwaiting.server.cli;

import java.util.concurrent.Callable;
import org.heroesinwaiting.server.runtime.ServerRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code heroes serve}. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the HTTP server and the scheduled jobs.",
            "Without HEROES_DATABASE_URL it runs on an embedded PostgreSQL 15 in HEROES_DATA_DIR (./heroes-data),",
            "created, bootstrapped and migrated on first start. Stop it with Ctrl-C or SIGTERM."})
public final class ServeCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Option(names = "--allow-bypass-rls",
            description = "Serve even when the database login is a superuser or BYPASSRLS (row level security would not apply).")
    private boolean allowBypassRls;

    ServeCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        ServerRuntime runtime = ServerRuntime.start(config.get(), allowBypassRls);
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "heroes-shutdown"));
        return HeroesCommand.SERVING;
    }
}
