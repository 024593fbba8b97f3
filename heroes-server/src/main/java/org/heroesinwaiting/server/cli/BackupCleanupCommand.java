package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.backup.CleanupResult;
import org.heroesinwaiting.retention.physical.PhysicalBackupService;
import org.heroesinwaiting.retention.physical.PhysicalCleanupResult;
import org.heroesinwaiting.server.backup.BackupJson;
import org.heroesinwaiting.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heroes backup cleanup [--json]}. */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"The guide's weekly cleanup: marks the backups past their class's period (cleanup_old_backups()), deletes",
            "their files (expires physical ones from pgBackRest's repository) and marks them deleted. Exits 1 when one could not",
            "be deleted (its backup stays expired for the next)."})
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
            Optional<PhysicalCleanupResult> physical = library.physicalIfOn().map(PhysicalBackupService::cleanup);
            List<String> failures = new ArrayList<>(cleanup.failures());
            physical.ifPresent(expired -> failures.addAll(expired.failures()));
            if (json) {
                out.println(Json.write(BackupJson.cleanup(cleanup, physical)));
            } else {
                out.printf("deleted %d backups (%d files)%s%s%n", cleanup.deleted().size(), cleanup.filesDeleted().size(),
                        physical.map(expired -> ", expired " + expired.deleted().size() + " physical backups from pgBackRest's repository"
                                + (expired.released().isEmpty() ? "" : ", released the retiring repositories " + expired.released()))
                                .orElse(""),
                        failures.isEmpty() ? "" : "; could not delete: " + String.join("; ", failures));
            }
            return failures.isEmpty() ? 0 : 1;
        }
    }
}
