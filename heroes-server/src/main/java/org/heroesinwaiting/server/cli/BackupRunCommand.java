package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.backup.BackupFile;
import org.heroesinwaiting.retention.backup.BackupFormat;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupRequest;
import org.heroesinwaiting.retention.backup.BackupResult;
import org.heroesinwaiting.retention.physical.PhysicalBackupResult;
import org.heroesinwaiting.server.backup.BackupJson;
import org.heroesinwaiting.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heroes backup run [--kind full|archive|physical-full|daily] [--format custom|plain-gzip] [--schedule S] [--json]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Makes a backup now: full or archive with pg_dump as the backup login (HEROES_BACKUP_USER), in the snapshot it",
            "records the row counts of; physical-full or daily (a differential) with pgBackRest. Exits 1 when it fails: backup_log",
            "says why, and no file of it is left."})
public final class BackupRunCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--kind", paramLabel = "<kind>", defaultValue = "full",
            description = "full (the default) or archive (pg_dump), or physical-full or daily (pgBackRest, when physical backups are on)")
    private String kind;

    @Option(names = "--format", paramLabel = "<format>", defaultValue = "custom",
            description = "custom (the default; pg_restore can take tables from it) or plain-gzip (the guide's pg_dump | gzip)")
    private String format;

    @Option(names = "--schedule", paramLabel = "<schedule>",
            description = "the schedule this backup counts for (weekly-full, monthly-archive), which sets how long it is kept")
    private String schedule;

    @Option(names = "--json", description = "print JSON for scripts instead of a line")
    private boolean json;

    BackupRunCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        BackupKind chosenKind = Arguments.parse(spec, "--kind", () -> BackupKind.fromWire(kind));
        BackupFormat chosenFormat = Arguments.parse(spec, "--format", () -> BackupFormat.fromWire(format));
        PrintWriter out = spec.commandLine().getOut();
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            if (chosenKind.isPhysical()) {
                PhysicalBackupResult physical = library.physical().run(chosenKind, Optional.ofNullable(schedule));
                if (json) {
                    out.println(Json.write(BackupJson.physical(physical)));
                } else {
                    out.printf("backup %d: %s (pgBackRest %s %s), %,d bytes of cluster, %,d in the repository, WAL %s to %s, in %d ms%n",
                            physical.id(), physical.kind().wireName(), physical.backup().type(), physical.backup().label(),
                            physical.backup().sizeBytes(), physical.backup().repositoryBytes(), physical.backup().walStart(),
                            physical.backup().walStop(), physical.took().toMillis());
                }
                return 0;
            }
            BackupResult backup = library.backups().run(new BackupRequest(chosenKind, chosenFormat, Optional.ofNullable(schedule)));
            if (json) {
                out.println(Json.write(BackupJson.result(backup)));
            } else {
                BackupFile file = backup.files().get(0);
                out.printf("backup %d: %s (%s), %,d bytes, %d tables, in %d ms%n  %s%n  sha256 %s%n", backup.id(), backup.kind().wireName(),
                        backup.format().wireName(), backup.sizeBytes(), backup.tableRows().size(), backup.took().toMillis(), file.path(),
                        file.sha256());
            }
            return 0;
        }
    }
}
