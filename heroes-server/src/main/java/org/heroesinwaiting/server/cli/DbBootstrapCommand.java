package org.heroesinwaiting.server.cli;

import java.util.concurrent.Callable;
import org.heroesinwaiting.server.runtime.DatabaseTarget;
import org.heroesinwaiting.sql.BootstrapResult;
import org.heroesinwaiting.sql.HeroesDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code heroes db bootstrap}. */
@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = {"Creates the database when missing, then runs sql/bootstrap.sql in it as the superuser",
            "(HEROES_SUPERUSER, HEROES_SUPERUSER_PASSWORD; same host, port and database as HEROES_DATABASE_URL).",
            "Re-running it is harmless."})
public final class DbBootstrapCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    DbBootstrapCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        try (DatabaseTarget database = DatabaseTarget.forCommand(config.get())) {
            boolean created = database.createDatabaseIfMissing();
            BootstrapResult result = HeroesDatabase.bootstrap(database.superuser());
            spec.commandLine().getOut().printf("%s%s on PostgreSQL %s: extensions %s, roles %s%n",
                    result.database(), created ? " (created)" : "", result.serverVersion(), result.extensions(), result.roles());
            return 0;
        }
    }
}
