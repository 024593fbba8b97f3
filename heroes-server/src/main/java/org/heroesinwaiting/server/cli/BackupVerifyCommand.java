package org.heroesinwaiting.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.heroesinwaiting.retention.recovery.Verification;
import org.heroesinwaiting.server.backup.BackupJson;
import org.heroesinwaiting.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heroes backup verify <id> [--json]}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Proves a backup: rechecks its SHA-256, reads its contents, restores it into a scratch database as the",
            "superuser (HEROES_SUPERUSER), compares every table's rows with those counted at backup time, runs pg_amcheck, and",
            "drops the scratch database. Exits 1 when anything differs, saying where."})
public final class BackupVerifyCommand implements Callable<Integer> {

    private final ConfigSource config;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "<id>", description = "the backup's id (heroes backup list)")
    private long id;

    @Option(names = "--json", description = "print JSON for scripts instead of lines")
    private boolean json;

    BackupVerifyCommand(ConfigSource config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (CommandLibrary library = CommandLibrary.open(config.get())) {
            Verification verification = library.restores().verify(id);
            if (json) {
                out.println(Json.write(BackupJson.verification(verification)));
            } else if (verification.passed()) {
                out.printf("backup %d passed: checksum, contents, a restore drill with %d tables' rows as at backup time, pg_amcheck"
                        + " (%d ms)%n", id, verification.tablesCompared(), verification.took().toMillis());
            } else {
                out.printf("backup %d FAILED verification:%n", id);
                verification.findings().forEach(finding -> out.println("  " + finding));
            }
            return verification.passed() ? 0 : 1;
        }
    }
}
