package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.recovery.RestoreResult;
import org.heroesinwaiting.server.backup.BackupJson;
import org.heroesinwaiting.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heroes restore full <id> --into <db> [--json]}. */
@Command(name = "full", mixinStandardHelpOptions = true,
        description = {"Restores a backup into a new database and checks every table's rows against those counted at backup time.",
            "The database must not exist: a restore never writes over one."})
public final class RestoreFullCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<id>", description = "the backup's id (heroes backup list)")
    private long id;

    @Option(names = "--into", required = true, paramLabel = "<database>", description = "the new database (lower case letters, digits, _)")
    private String into;

    @Option(names = "--json", description = "print JSON for scripts instead of a line")
    private boolean json;

    RestoreFullCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            RestoreResult restore = library.restores().restore(id, into);
            if (json) {
                out.println(Json.write(BackupJson.restore(restore)));
            } else {
                out.printf("backup %d restored into %s: %d tables as at backup time, %,d bytes in %d ms (%,.0f bytes/s)%n", id,
                        restore.database(), restore.tablesCompared(), restore.restoredBytes(), restore.took().toMillis(),
                        restore.bytesPerSecond());
            }
            return 0;
        }
    }
}
