package org.heroesinwaiting.server.cli;

import java.io.Console;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.heroesinwaiting.core.auth.ClientInfo;
import org.heroesinwaiting.core.auth.EmailTakenException;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.core.auth.WeakPasswordException;
import org.heroesinwaiting.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heroes admin create --email ...}: the first administrator (and any later one). */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Creates an administrator account. The password comes from HEROES_ADMIN_PASSWORD or, on a terminal,",
            "a prompt (typed twice); never from an argument. It must pass the same policy as every password."})
public final class AdminCreateCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--email", required = true, description = "the administrator's email")
    private String email;

    @Option(names = "--name", defaultValue = "Administrator", description = "the name shown in the app (default: ${DEFAULT-VALUE})")
    private String name;

    AdminCreateCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        ServerConfig settings = config.get();
        String password = settings.auth().adminPassword().orElseGet(AdminCreateCommand::prompt);
        try (CommandLibrary library = CommandLibrary.open(settings, adjusted -> adjusted.withHashing(1, 4))) {
            UUID id = library.heroes().accounts()
                    .register(new NewFacilitator(email, password, name, "admin"), ClientInfo.unknown());
            spec.commandLine().getOut().println("administrator " + NewFacilitator.normaliseEmail(email) + " created (" + id + ")");
            return 0;
        } catch (WeakPasswordException e) {
            spec.commandLine().getErr().println("heroes: " + e.getMessage());
            return 1;
        } catch (EmailTakenException e) {
            spec.commandLine().getErr().println("heroes: " + e.getMessage() + ": " + NewFacilitator.normaliseEmail(email));
            return 1;
        }
    }

    private static String prompt() {
        Console console = System.console();
        if (console == null) {
            throw new CommandException("set HEROES_ADMIN_PASSWORD, or run this on a terminal to be asked for the password");
        }
        char[] first = console.readPassword("password for the new administrator: ");
        char[] second = console.readPassword("the same again: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new CommandException("the two passwords differ");
        }
        return new String(first);
    }
}
