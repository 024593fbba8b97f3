package org.heroesinwaiting.server.cli;

import java.util.concurrent.Callable;
import org.heroesinwaiting.server.runtime.DatabaseTarget;
import org.heroesinwaiting.sql.HeroesDatabase;
import org.heroesinwaiting.sql.MigrationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code heroes migrate}. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Applies pending migrations as the owner (HEROES_OWNER_USER, HEROES_OWNER_PASSWORD).",
            "Each migration is one transaction; a database installed with psql is continued."})
public final class MigrateCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    MigrateCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        try (DatabaseTarget database = DatabaseTarget.forCommand(config.get())) {
            MigrationResult result = HeroesDatabase.migrate(database.owner());
            spec.commandLine().getOut().printf("%s: version %s -> %s, applied %s%s%n", result.database(),
                    result.initial().orElse("none"), result.currentVersion(),
                    result.applied().isEmpty() ? "nothing" : String.join(", ", result.applied()),
                    result.adoptedFromPsql() > 0 ? " (recorded " + result.adoptedFromPsql() + " migrations psql applied)" : "");
            return 0;
        }
    }
}
