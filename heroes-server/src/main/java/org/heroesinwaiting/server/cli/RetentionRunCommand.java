package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.RetentionFailedException;
import org.heroesinwaiting.retention.RetentionRequest;
import org.heroesinwaiting.retention.RetentionResult;
import org.heroesinwaiting.retention.RetentionService;
import org.heroesinwaiting.retention.TableResult;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.retention.RetentionJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heroes retention run [--table T] [--dry-run] [--json]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs retention now, as of the database's now(), in committed batches until nothing is due; progress goes",
            "to the log. A second run at the same time is refused at once. Exits 1 when a batch fails (every batch before it",
            "is committed; run it again to go on)."})
public final class RetentionRunCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--table", paramLabel = "<table>",
            description = "one governed table (student_sessions takes its progress and feedback along); all by default")
    private String table;

    @Option(names = "--dry-run", description = "count what is due, change nothing")
    private boolean dryRun;

    @Option(names = "--json", description = "print JSON for scripts instead of a table")
    private boolean json;

    RetentionRunCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            RetentionService retention = library.heroes().port(RetentionService.class);
            RetentionRequest request = table == null ? RetentionRequest.all() : RetentionRequest.table(table);
            RetentionResult result;
            int exit = 0;
            try {
                result = retention.run(dryRun ? request.asDryRun() : request);
            } catch (RetentionFailedException e) {
                spec.commandLine().getErr().println(e.getMessage());
                result = e.result();
                exit = 1;
            }
            if (json) {
                out.println(Json.write(RetentionJson.result(result)));
            } else {
                print(out, result);
            }
            return exit;
        }
    }

    static void print(PrintWriter out, RetentionResult result) {
        out.printf("%-28s %12s %12s %14s %8s  %-9s %s%n", "TABLE", result.dryRun() ? "WOULD MOVE" : "ARCHIVED",
                result.dryRun() ? "WOULD PURGE" : "PURGED", "STILL DUE", "BATCHES", "STATE", "UPKEEP");
        for (TableResult table : result.tables()) {
            out.printf("%-28s %12d %12d %14d %8d  %-9s %s%n", table.table(), table.archived(), table.purged(), table.stillEligible(),
                    table.batches(), table.state(), table.upkeep().wire());
        }
        out.println((result.runId().isPresent() ? "run " + result.runId().getAsLong() + " as of " : "as of ") + result.asOf() + ": "
                + result.summary() + " in " + result.took().toMillis() + " ms");
    }
}
