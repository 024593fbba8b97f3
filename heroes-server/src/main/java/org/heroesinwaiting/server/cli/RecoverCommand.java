package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.recovery.InPlaceResult;
import org.heroesinwaiting.retention.recovery.PointInTimeRecovery;
import org.heroesinwaiting.retention.recovery.PointInTimeResult;
import org.heroesinwaiting.retention.recovery.RecoveryRequest;
import org.heroesinwaiting.retention.recovery.RecoveryRequests;
import org.heroesinwaiting.retention.recovery.TableRestoreResult;
import org.heroesinwaiting.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heroes recover <id> [--into DIR | --in-place]}. */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Executes a recovery recorded by initiate_recovery() (SELECT initiate_recovery('point_in_time', NULL, '...'::timestamp);)",
            "and records each step in recovery_log. point_in_time: the cluster as it was at the target, restored by pgBackRest into a",
            "new data directory and left running on a spare port for you to switch to (the live cluster is not touched), or with",
            "--in-place put in the embedded database's place (the replaced cluster is kept).",
            "table_restore: the tables as they were in a logical backup, or at a target (a scratch copy recovered to it), applied to",
            "the live database in one transaction. replace holds an ACCESS EXCLUSIVE lock on the tables for that transaction and",
            "loses the rows written since the target; add-missing brings back deleted rows only, never the old values of changed ones.",
            "Exits 1 when it fails (the live database is as it was)."})
public final class RecoverCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<id>", description = "the recovery's id, as initiate_recovery() returned it")
    private long id;

    @Option(names = "--into", paramLabel = "<dir>",
            description = "the new data directory of a point_in_time recovery (default <data dir>/recovered/<id>)")
    private Path into;

    @Option(names = "--in-place", description = {"a point_in_time recovery takes the place of the embedded database: it is restored and",
        "checked beside it, then the embedded cluster stops, is kept at <data dir>/postgres.replaced-<id>, and the recovered one",
        "starts from <data dir>/postgres (./heroes serve must not run)"})
    private boolean inPlace;

    RecoverCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig settings = config.get();
        try (CommandLibrary library = CommandLibrary.open(settings)) {
            RecoveryRequest request = library.heroes().port(RecoveryRequests.class).find(id);
            if (!request.isPointInTime()) {
                TableRestoreResult tables = library.restores().executeTables(request);
                out.printf("recovery %d: from backup %d, added %s, set back %s, deleted %s, in %d ms%n", id, tables.backupId(),
                        tables.inserted(), tables.updated(), tables.deleted(), tables.took().toMillis());
                return 0;
            }
            PointInTimeRecovery recovery = library.pointInTime();
            if (request.kind().equals("tables-to-time")) {
                TableRestoreResult tables = recovery.executeTables(request);
                out.printf("recovery %d: %s as at %s, added %s, set back %s, deleted %s, in %d ms%n", id, String.join(", ", request.tables()),
                        request.target().orElseThrow(), tables.inserted(), tables.updated(), tables.deleted(), tables.took().toMillis());
                return 0;
            }
            if (inPlace) {
                if (into != null) {
                    throw new CommandException("--in-place and --into exclude each other");
                }
                InPlaceResult result = recovery.executeInPlace(request, library.liveCluster());
                out.printf("recovery %d: the cluster as at %s (backup %s and WAL) runs in place from %s, in %d ms%n"
                        + "  the cluster it replaced is kept, stopped, at %s: delete it once you are sure (rm -r)%n", id, result.target(),
                        result.label(), result.dataDirectory(), result.took().toMillis(), result.replaced());
                return 0;
            }
            Path directory = into != null ? into : settings.dataDir().resolve("recovered").resolve(Long.toString(id));
            PointInTimeResult result = recovery.execute(request, directory);
            out.printf("recovery %d: the cluster as at %s (backup %s and WAL) runs on localhost:%d from %s, in %d ms%n"
                    + "  switch to it (HEROES_DATABASE_URL=jdbc:postgresql://localhost:%d/<database>), or stop it: pg_ctl stop -D %s%n", id,
                    result.target(), result.label(), result.cluster().port(), result.cluster().dataDirectory(), result.took().toMillis(),
                    result.cluster().port(), result.cluster().dataDirectory());
            return 0;
        }
    }
}
