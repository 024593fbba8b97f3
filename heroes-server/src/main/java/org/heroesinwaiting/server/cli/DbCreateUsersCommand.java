package org.heroesinwaiting.server.cli;

import java.io.Console;
import java.util.concurrent.Callable;
import org.heroesinwaiting.server.runtime.DatabaseTarget;
import org.heroesinwaiting.sql.CreateUsersResult;
import org.heroesinwaiting.sql.HeroesDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code heroes db create-users}. */
@Command(name = "create-users", mixinStandardHelpOptions = true,
        description = {"Creates or corrects the logins (heroes_owner, heroes_app, heroes_readonly, heroes_backup,",
            "heroes_analytics) as the superuser. Passwords come from HEROES_OWNER_PASSWORD, HEROES_DATABASE_PASSWORD,",
            "HEROES_READONLY_PASSWORD, HEROES_BACKUP_PASSWORD, HEROES_ANALYTICS_PASSWORD, or a prompt on a terminal;",
            "one left empty keeps the login's current password. Never pass a password as an argument."})
public final class DbCreateUsersCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    DbCreateUsersCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        Console console = System.console();
        try (DatabaseTarget database = DatabaseTarget.forCommand(config.get())) {
            CreateUsersResult result = HeroesDatabase.createUsers(database.superuser(), database.passwords((login, variable) -> {
                if (console == null) {
                    return null;
                }
                char[] answer = console.readPassword("password for %s (%s is not set; empty keeps the current one): ", login, variable);
                return answer == null ? null : new String(answer);
            }));
            spec.commandLine().getOut().printf("logins %s; new passwords for %s%n", result.logins(),
                    result.passwordsSet().isEmpty() ? "none" : result.passwordsSet());
            return 0;
        }
    }
}
