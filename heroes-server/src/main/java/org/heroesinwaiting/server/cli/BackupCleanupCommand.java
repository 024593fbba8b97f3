package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.backup.CleanupResult;
import org.heroesinwaiting.server.backup.BackupJson;
import org.heroesinwaiting.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heroes backup cleanup [--json]}. */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"The guide's weekly cleanup: marks the backups past their class's period (cleanup_old_backups()), deletes",
            "their files and marks them deleted. Exits 1 when a file could not be deleted (its backup stays expired for the next)."})
public final class BackupCleanupCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "print JSON for scripts instead of a line")
    private boolean json;

    BackupCleanupCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            CleanupResult cleanup = library.backups().cleanup();
            if (json) {
                out.println(Json.write(BackupJson.cleanup(cleanup)));
            } else {
                out.printf("deleted %d backups (%d files)%s%n", cleanup.deleted().size(), cleanup.filesDeleted().size(),
                        cleanup.failures().isEmpty() ? "" : "; could not delete: " + String.join("; ", cleanup.failures()));
            }
            return cleanup.failures().isEmpty() ? 0 : 1;
        }
    }
}
