package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.heroesinwaiting.persistence.analytics.AnalyticsService;
import org.heroesinwaiting.persistence.analytics.RollupRefresh;
import org.heroesinwaiting.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code heroes analytics refresh [--from D [--to D]] [--json]}. */
@Command(name = "refresh", mixinStandardHelpOptions = true,
        description = {"Recomputes the analytics rollups. Without --from: the cells of the classrooms that received rows since the",
            "last refresh (what the nightly job does). With --from: every month and week that overlaps",
            "--from to --to (UTC days, both included; --to defaults to today). A period whose raw rows retention has deleted keeps",
            "its counts."})
public final class AnalyticsRefreshCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--from", paramLabel = "<YYYY-MM-DD>", description = "the first day")
    private LocalDate from;

    @Option(names = "--to", paramLabel = "<YYYY-MM-DD>", description = "the last day (default: today)")
    private LocalDate to;

    @Option(names = "--json", description = "print JSON for scripts instead of a table")
    private boolean json;

    AnalyticsRefreshCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        if (to != null && from == null) {
            throw new ParameterException(spec.commandLine(), "--to needs --from");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            AnalyticsService analytics = new AnalyticsService(library.heroes().transactions());
            List<RollupRefresh> refreshed = from == null ? analytics.refresh()
                    : analytics.refresh(from, to == null ? LocalDate.now(ZoneOffset.UTC) : to);
            if (json) {
                out.println(Json.write(Map.of("rollups", refreshed.stream().map(r -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("rollup", r.rollup());
                    row.put("periods", r.periods());
                    row.put("cells", r.cells());
                    return row;
                }).toList())));
                return 0;
            }
            out.printf("%-28s %8s %8s%n", "ROLLUP", "PERIODS", "CELLS");
            for (RollupRefresh r : refreshed) {
                out.printf("%-28s %8d %8d%n", r.rollup(), r.periods(), r.cells());
            }
            return 0;
        }
    }
}
