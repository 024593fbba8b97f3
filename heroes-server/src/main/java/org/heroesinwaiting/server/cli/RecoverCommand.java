package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.recovery.DisasterRecoveryPlan;
import org.heroesinwaiting.retention.recovery.DisasterRecoveryPlans;
import org.heroesinwaiting.retention.recovery.InPlaceResult;
import org.heroesinwaiting.retention.recovery.PlanStep;
import org.heroesinwaiting.retention.recovery.PointInTimeRecovery;
import org.heroesinwaiting.retention.recovery.PointInTimeResult;
import org.heroesinwaiting.retention.recovery.RecoveryRequest;
import org.heroesinwaiting.retention.recovery.RecoveryRequests;
import org.heroesinwaiting.retention.recovery.TableRestoreMode;
import org.heroesinwaiting.retention.recovery.TableRestoreResult;
import org.heroesinwaiting.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heroes recover <id> [--into DIR | --in-place]}, and {@code heroes recover --plan <plan> [--step <n> --done <note> | --target <time>]}. */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Executes a recovery recorded by initiate_recovery() (SELECT initiate_recovery('point_in_time', NULL, '...'::timestamp);)",
            "and records each step in recovery_log. point_in_time: the cluster as it was at the target, restored by pgBackRest into a",
            "new data directory and left running on a spare port for you to switch to (the live cluster is not touched), or with",
            "--in-place put in the embedded database's place (the replaced cluster is kept).",
            "table_restore: the tables as they were in a logical backup, or at a target (a scratch copy recovered to it), applied to",
            "the live database in one transaction. replace holds an ACCESS EXCLUSIVE lock on the tables for that transaction and",
            "loses the rows written since the target; add-missing brings back deleted rows only, never the old values of changed ones.",
            "With --plan, a disaster-recovery plan (SELECT execute_disaster_recovery_plan(...);) step by step: its steps and what",
            "was done of each; a step a person did recorded with --done; its recovery step executed with --target (and --tables).",
            "Exits 1 when it fails (the live database is as it was)."})
public final class RecoverCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<id>", description = "the recovery's id, as initiate_recovery() returned it")
    private Long id;

    @Option(names = "--plan", paramLabel = "<plan>", description = {"a disaster-recovery plan (execute_disaster_recovery_plan() in psql):",
        "alone, its steps and what was done of each; with --step, one step done or executed"})
    private Long plan;

    @Option(names = "--step", paramLabel = "<n>", description = "the plan's step: with --done, a step a person did; with --target, the "
            + "step that recovers (its initiate_recovery() line), executed now")
    private Integer step;

    @Option(names = "--done", paramLabel = "<note>", description = "records the plan's step as done, with what was found or done")
    private String done;

    @Option(names = "--target", paramLabel = "<time>", description = {"the moment the plan's recovery step aims at: 2026-12-04T09:59:00Z,",
        "or 2026-12-04T09:59:00 read in --zone (UTC when not given)"})
    private String target;

    @Option(names = "--zone", paramLabel = "<zone>", description = "the time zone of a --target without an offset (Europe/Paris, ...)")
    private String zone;

    @Option(names = "--tables", split = ",", paramLabel = "<table>", description = "the tables a plan's table restore step brings back")
    private List<String> tables = List.of();

    @Option(names = "--mode", paramLabel = "<mode>", defaultValue = "add-missing",
            description = "a plan's table restore: add-missing (the default, the plan's advice for a deletion) or replace")
    private String mode;

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
        if ((id == null) == (plan == null)) {
            throw new ParameterException(spec.commandLine(), "name a recovery (<id>) or a plan (--plan), one of them");
        }
        if (plan == null && (step != null || done != null || target != null || !tables.isEmpty())) {
            throw new ParameterException(spec.commandLine(), "--step, --done, --target and --tables go with --plan");
        }
        TableRestoreMode chosen = Arguments.parse(spec, "--mode", () -> TableRestoreMode.fromWire(mode));
        Instant moment = target == null ? null : Arguments.parse(spec, "--target", this::moment);
        try (CommandLibrary library = CommandLibrary.open(settings)) {
            if (plan == null) {
                out.println(execute(library.heroes().port(RecoveryRequests.class).find(id), library, settings));
                return 0;
            }
            DisasterRecoveryPlans plans = new DisasterRecoveryPlans(library.heroes().transactions());
            if (step == null) {
                print(plans.find(plan), out);
                return 0;
            }
            if ((done == null) == (moment == null)) {
                throw new ParameterException(spec.commandLine(), "a plan's step is either done (--done <note>) or executed (--target <time>)");
            }
            if (done != null) {
                plans.done(plan, step, done);
                out.printf("plan %d, step %d: done%n", plan, step);
                return 0;
            }
            PlanStep planned = plans.find(plan).step(step);
            if (planned.recoveryType().isPresent()) {
                library.pointInTime(); // what a recovery to a moment needs, before any request is recorded
            }
            long recovery = plans.initiate(plan, step, moment, tables, chosen);
            try {
                String outcome = execute(library.heroes().port(RecoveryRequests.class).find(recovery), library, settings);
                plans.executed(plan, step, recovery, outcome);
                out.println(outcome);
                out.printf("plan %d, step %d: executed (recovery %d)%n", plan, step, recovery);
                return 0;
            } catch (RuntimeException e) {
                plans.failed(plan, step, recovery, String.valueOf(e.getMessage()));
                throw e;
            }
        }
    }

    /** Executes a request as its kind says, and says what it did in a line or two. */
    private String execute(RecoveryRequest request, CommandLibrary library, ServerConfig settings) {
        long recovery = request.id();
        if ((inPlace || into != null) && !request.kind().equals("point-in-time")) {
            throw new CommandException("--in-place and --into are for a point_in_time recovery; recovery " + recovery + " is a "
                    + request.kind() + " restore, applied to the live database");
        }
        if (!request.isPointInTime()) {
            TableRestoreResult tables = library.restores().executeTables(request);
            return String.format("recovery %d: from backup %d, added %s, set back %s, deleted %s, in %d ms", recovery, tables.backupId(),
                    tables.inserted(), tables.updated(), tables.deleted(), tables.took().toMillis());
        }
        PointInTimeRecovery recoveries = library.pointInTime();
        if (request.kind().equals("tables-to-time")) {
            TableRestoreResult tables = recoveries.executeTables(request);
            return String.format("recovery %d: %s as at %s, added %s, set back %s, deleted %s, in %d ms", recovery,
                    String.join(", ", request.tables()), request.target().orElseThrow(), tables.inserted(), tables.updated(), tables.deleted(),
                    tables.took().toMillis());
        }
        if (inPlace) {
            if (into != null) {
                throw new CommandException("--in-place and --into exclude each other");
            }
            InPlaceResult result = recoveries.executeInPlace(request, library.liveCluster());
            return String.format("recovery %d: the cluster as at %s (backup %s and WAL) runs in place from %s, in %d ms%n"
                    + "  the cluster it replaced is kept, stopped, at %s: delete it once you are sure (rm -r)", recovery, result.target(),
                    result.label(), result.dataDirectory(), result.took().toMillis(), result.replaced());
        }
        Path directory = into != null ? into : settings.dataDir().resolve("recovered").resolve(Long.toString(recovery));
        PointInTimeResult result = recoveries.execute(request, directory);
        return String.format("recovery %d: the cluster as at %s (backup %s and WAL) runs on localhost:%d from %s, in %d ms%n"
                + "  switch to it (HEROES_DATABASE_URL=jdbc:postgresql://localhost:%d/<database>), or stop it: pg_ctl stop -D %s", recovery,
                result.target(), result.label(), result.cluster().port(), result.cluster().dataDirectory(), result.took().toMillis(),
                result.cluster().port(), result.cluster().dataDirectory());
    }

    private static void print(DisasterRecoveryPlan plan, PrintWriter out) {
        out.printf("plan %d: %s (%s), %s%n", plan.id(), plan.scenario(), plan.severity(), plan.method());
        for (PlanStep each : plan.steps()) {
            out.printf("%2d. %s%n    uses: %s%n", each.number(), each.action(), each.uses());
            if (each.recoveryType().isPresent()) {
                out.printf("    run: ./heroes recover --plan %d --step %d --target <time>%s%n", plan.id(), each.number(),
                        each.recoveryType().get().equals("table_restore") ? " --tables <table,...>" : "");
            } else if (each.progress().isEmpty()) {
                out.printf("    when done: ./heroes recover --plan %d --step %d --done \"<what you found or did>\"%n", plan.id(), each.number());
            }
            for (String line : each.progress()) {
                out.printf("    %s%n", line);
            }
        }
    }

    private Instant moment() {
        try {
            return OffsetDateTime.parse(target).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(target.replace(' ', 'T')).atZone(zone == null ? ZoneOffset.UTC : ZoneId.of(zone)).toInstant();
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("a time is 2026-12-04T09:59:00Z, or 2026-12-04T09:59:00 with --zone, not " + target
                        + (zone == null ? "" : " in " + zone));
            }
        }
    }
}
