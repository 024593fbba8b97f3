package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.PolicyStatus;
import org.heroesinwaiting.retention.RetentionService;
import org.heroesinwaiting.retention.TableStatus;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.retention.RetentionJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heroes retention status [--json]}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Per table: rows live, due to move now, archived, due for deletion, and the last run; then each policy,",
            "and whether rows have waited more than two days past their period (what /health reports)."})
public final class RetentionStatusCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "print JSON for scripts instead of tables")
    private boolean json;

    RetentionStatusCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            RetentionService retention = library.heroes().port(RetentionService.class);
            List<TableStatus> tables = retention.status();
            List<PolicyStatus> policies = retention.policies();
            if (json) {
                out.println(Json.write(RetentionJson.status(tables, policies)));
                return 0;
            }
            out.printf("%-28s %-9s %-9s %10s %10s %10s %10s  %s%n", "TABLE", "LIVE FOR", "KEPT FOR", "LIVE", "DUE NOW", "ARCHIVED",
                    "TO DELETE", "LAST RUN");
            for (TableStatus table : tables) {
                out.printf("%-28s %-9s %-9s %10d %10d %10s %10d  %s%n", table.table(), table.livePeriod(), table.totalPeriod(),
                        table.liveRows(), table.eligibleNow(), table.archivedRows().map(String::valueOf).orElse("-"), table.dueForDeletion(),
                        table.lastRunAt().map(at -> at + " " + table.lastOutcome().orElse("")).orElse("never"));
            }
            List<String> waiting = policies.stream().filter(PolicyStatus::waitingPastPeriod).map(PolicyStatus::table).toList();
            out.println(waiting.isEmpty() ? "nothing waits past its period" : "waiting more than two days past their period: " + waiting);
            return 0;
        }
    }
}
