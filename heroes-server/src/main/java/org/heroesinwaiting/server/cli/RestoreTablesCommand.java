package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.recovery.TableRestoreMode;
import org.heroesinwaiting.retention.recovery.TableRestoreResult;
import org.heroesinwaiting.server.backup.BackupJson;
import org.heroesinwaiting.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heroes restore tables <id> --tables a,b [--mode replace|add-missing] [--json]}. */
@Command(name = "tables", mixinStandardHelpOptions = true,
        description = {"Brings tables back from a backup into the live database in one transaction: replace their rows (the",
            "default), or add only the missing ones. A change that would reach another table undoes it all and names the table.",
            "replace holds an ACCESS EXCLUSIVE lock on the tables for that transaction and loses the rows written since the backup;",
            "add-missing brings back deleted rows only, never the old values of rows changed since."})
public final class RestoreTablesCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<id>", description = "the backup's id (heroes backup list)")
    private long id;

    @Option(names = "--tables", required = true, split = ",", paramLabel = "<table>", description = "tables, comma separated")
    private List<String> tables;

    @Option(names = "--mode", paramLabel = "<mode>", defaultValue = "replace", description = "replace (the default) or add-missing")
    private String mode;

    @Option(names = "--json", description = "print JSON for scripts instead of a table")
    private boolean json;

    RestoreTablesCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        TableRestoreMode chosen = Arguments.parse(spec, "--mode", () -> TableRestoreMode.fromWire(mode));
        PrintWriter out = spec.commandLine().getOut();
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            TableRestoreResult restore = library.restores().restoreTables(id, tables, chosen);
            if (json) {
                out.println(Json.write(BackupJson.tables(restore)));
                return 0;
            }
            out.printf("%-28s %10s %10s %10s%n", "TABLE", "ADDED", "SET BACK", "DELETED");
            for (String table : tables) {
                out.printf("%-28s %10d %10d %10d%n", table, restore.inserted().getOrDefault(table, 0L), restore.updated().getOrDefault(table, 0L),
                        restore.deleted().getOrDefault(table, 0L));
            }
            out.printf("restored from backup %d (%s) in %d ms; recovery %d%n", id, chosen.wireName(), restore.took().toMillis(),
                    restore.recoveryId());
            return 0;
        }
    }
}
