package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.backup.BackupCatalog;
import org.heroesinwaiting.retention.backup.BackupFile;
import org.heroesinwaiting.retention.backup.BackupRecord;
import org.heroesinwaiting.server.backup.BackupJson;
import org.heroesinwaiting.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heroes backup list [--limit N] [--json]}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the latest backups of the catalog, newest first.")
public final class BackupListCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--limit", paramLabel = "<n>", defaultValue = "20", description = "at most this many (1 to 1000; 20 by default)")
    private int limit;

    @Option(names = "--json", description = "print JSON for scripts instead of a table")
    private boolean json;

    BackupListCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        Arguments.parse(spec, "--limit", () -> {
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("--limit is 1 to 1000, not " + limit);
            }
            return limit;
        });
        PrintWriter out = spec.commandLine().getOut();
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            List<BackupRecord> backups = new BackupCatalog(library.heroes().transactions()).latest(limit);
            if (json) {
                out.println(Json.write(Map.of("backups", backups.stream().map(BackupJson::record).toList())));
                return 0;
            }
            out.printf("%6s  %-8s %-11s %-10s %-12s %14s  %s%n", "ID", "KIND", "FORMAT", "STATUS", "VERIFIED", "BYTES", "STARTED");
            for (BackupRecord backup : backups) {
                out.printf("%6d  %-8s %-11s %-10s %-12s %,14d  %s%n", backup.id(), backup.kind().wireName(), backup.format().wireName(),
                        backup.status(), backup.verification().orElse("-"), backup.files().stream().mapToLong(BackupFile::sizeBytes).sum(),
                        backup.startedAt());
            }
            if (backups.isEmpty()) {
                out.println("no backup yet: heroes backup run makes one");
            }
            return 0;
        }
    }
}
