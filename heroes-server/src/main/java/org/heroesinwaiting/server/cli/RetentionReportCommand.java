package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.ReportRow;
import org.heroesinwaiting.retention.RetentionService;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.retention.RetentionJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heroes retention report --from D --to D [--json]}. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Per UTC day from --from up to (not including) --to, and per table: rows archived and purged, runs, failed runs.")
public final class RetentionReportCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "<YYYY-MM-DD>", description = "the first day")
    private LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "<YYYY-MM-DD>", description = "the day after the last")
    private LocalDate to;

    @Option(names = "--json", description = "print JSON for scripts instead of a table")
    private boolean json;

    RetentionReportCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            List<ReportRow> rows = library.heroes().port(RetentionService.class).report(from, to);
            if (json) {
                out.println(Json.write(RetentionJson.report(rows)));
                return 0;
            }
            out.printf("%-10s %-28s %12s %12s %6s %7s%n", "DAY", "TABLE", "ARCHIVED", "PURGED", "RUNS", "FAILED");
            for (ReportRow row : rows) {
                out.printf("%-10s %-28s %12d %12d %6d %7d%n", row.day(), row.table(), row.archived(), row.purged(), row.runs(), row.failedRuns());
            }
            if (rows.isEmpty()) {
                out.println("no retention run started from " + from + " to " + to);
            }
            return 0;
        }
    }
}
