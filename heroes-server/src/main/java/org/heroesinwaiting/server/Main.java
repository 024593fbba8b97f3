package org.heroesinwaiting.server;

import java.io.PrintWriter;
import java.util.Map;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.server.cli.ConfigSource;
import org.heroesinwaiting.server.cli.HeroesCommand;
import org.heroesinwaiting.server.config.ConfigurationException;
import org.heroesinwaiting.server.config.EnvironmentConfig;
import picocli.CommandLine;

/**
 * {@code ./heroes}: reads the configuration from the environment (the only place that does) and
 * runs the command line. A bad variable stops it with one line naming the variable (exit 2); a
 * failure of the database or a command, with one line saying what failed (exit 1).
 */
public final class Main {

    private Main() {
    }

    /**
     * @param args the command and its options; none means {@code serve}
     */
    public static void main(String[] args) {
        int code = run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code != HeroesCommand.SERVING) {
            System.exit(code);
        }
    }

    /**
     * @param args the command line
     * @param environment the variables to read the configuration from
     * @param out where answers go
     * @param err where errors go
     * @return the exit code, or {@link HeroesCommand#SERVING} while the server runs
     */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        ConfigSource config = new ConfigSource(() -> EnvironmentConfig.read(environment));
        CommandLine line = HeroesCommand.commandLine(config);
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            if (exception instanceof ConfigurationException) {
                err.println("heroes: " + exception.getMessage());
                return 2;
            }
            if (exception instanceof HeroesException) {
                err.println("heroes: " + exception.getMessage());
                return 1;
            }
            throw exception;
        });
        return line.execute(args.length == 0 ? new String[] {"serve"} : args);
    }
}
