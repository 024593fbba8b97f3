package org.heroesinwaiting.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heroesinwaiting.core.tools.ExternalTools;

/**
 * Runs the PostgreSQL client programs (psql, pg_dump, createdb) as a DBA would, against the test
 * cluster. Found like the product finds them: HEROES_PG_BIN, /usr/lib/postgresql/MAJOR/bin, PATH.
 */
final class ClientTools {

    /** What a finished program printed (stdout and stderr together) and its exit code. */
    record Outcome(int exitCode, String output) {
    }

    private ClientTools() {
    }

    static Outcome run(Path workingDirectory, String... command) {
        List<String> arguments = new ArrayList<>(List.of(command));
        arguments.set(0, locate(command[0]).toString());
        ProcessBuilder builder = new ProcessBuilder(arguments)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("PGHOST", "localhost");
        environment.put("PGPORT", Integer.toString(TestCluster.port()));
        environment.put("PGUSER", "postgres");
        environment.remove("PGPASSWORD");
        environment.remove("PGDATABASE");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            return new Outcome(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The folder a DBA runs the guide's commands from: this module's base directory. */
    static Path sqlFolder() {
        Path folder = Paths.get("").toAbsolutePath();
        if (!Files.isRegularFile(folder.resolve("database_schema.sql"))) {
            throw new IllegalStateException("run the tests from the sql module (no database_schema.sql in " + folder + ")");
        }
        return folder;
    }

    static Path locate(String program) {
        return ExternalTools.system().postgres(program);
    }
}
