package org.heroesinwaiting.core.tools;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the programs the library runs but does not ship: PostgreSQL's client programs
 * ({@code psql}, {@code pg_dump}, {@code pg_restore}, {@code pgbench}, {@code initdb}) and
 * pgBackRest. The one place that knows where Debian puts them and what to install when they are
 * missing.
 *
 * <pre>{@code
 * Path pgDump = ExternalTools.system().postgres("pg_dump"); // or ToolNotFoundException naming the package
 * }</pre>
 *
 * <p>A PostgreSQL program is looked for in {@code HEROES_PG_BIN}, then in Debian's
 * {@code /usr/lib/postgresql/<major>/bin} from 18 down to 15, then on the {@code PATH}; any other
 * program on the {@code PATH}.
 */
public final class ExternalTools {

    /** The oldest PostgreSQL whose programs the library runs. */
    public static final int OLDEST_MAJOR = 15;
    private static final int NEWEST_MAJOR = 18;
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

    private final Map<String, String> environment;
    private final Path debianRoot;

    private ExternalTools(Map<String, String> environment, Path debianRoot) {
        this.environment = Map.copyOf(environment);
        this.debianRoot = debianRoot;
    }

    /** @return the finder for this process's environment */
    public static ExternalTools system() {
        return new ExternalTools(System.getenv(), Paths.get("/usr/lib/postgresql"));
    }

    /**
     * @param environment the variables to read ({@code HEROES_PG_BIN}, {@code PATH})
     * @param debianRoot where Debian's PostgreSQL versions are ({@code /usr/lib/postgresql})
     * @return a finder over them (tests)
     */
    public static ExternalTools of(Map<String, String> environment, Path debianRoot) {
        return new ExternalTools(environment, debianRoot);
    }

    /**
     * @param program {@code pg_dump}, {@code psql}, ...
     * @return the program
     * @throws ToolNotFoundException when none is found, naming what to install
     */
    public Path postgres(String program) {
        return findPostgres(program).orElseThrow(() -> new ToolNotFoundException(program,
                (program.equals("pgbench") || program.equals("initdb") || program.equals("pg_ctl") ? "postgresql-15" : "postgresql-client-15")
                        + " (Debian), or point HEROES_PG_BIN at the bin folder of PostgreSQL " + OLDEST_MAJOR + " or later"));
    }

    /**
     * A PostgreSQL client program that can work with a server of the given major version: the
     * first found (as {@link #findPostgres}) whose own major version is at least the server's, since
     * pg_dump refuses a newer server ({@code aborting because of server version mismatch}).
     *
     * @param program {@code pg_dump}, {@code pg_restore}, ...
     * @param serverMajor the server's major version ({@code 15})
     * @return the program
     * @throws ToolNotFoundException when none is recent enough, naming the package to install
     */
    public Path postgres(String program, int serverMajor) {
        for (Path candidate : candidates(program)) {
            if (Files.isExecutable(candidate) && majorVersion(candidate).orElse(0) >= serverMajor) {
                return candidate;
            }
        }
        throw new ToolNotFoundException(program, "postgresql-client-" + serverMajor
                + " (Debian), or point HEROES_PG_BIN at the bin folder of PostgreSQL " + serverMajor + " or later"
                + findPostgres(program).map(found -> "; the one found, " + found + ", is older than the server ("
                        + serverMajor + ")").orElse(""));
    }

    /**
     * @param program a PostgreSQL program
     * @return its major version, from {@code program --version} ({@code pg_dump (PostgreSQL) 15.10}), when it answers
     */
    public static OptionalInt majorVersion(Path program) {
        try {
            Process process = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return OptionalInt.empty();
            }
            Matcher version = VERSION.matcher(output);
            return version.find() ? OptionalInt.of(Integer.parseInt(version.group(1))) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /**
     * @param program {@code pg_dump}, {@code psql}, ...
     * @return the program, when found
     */
    public Optional<Path> findPostgres(String program) {
        return candidates(program).stream().filter(Files::isExecutable).findFirst();
    }

    private List<Path> candidates(String program) {
        List<Path> candidates = new ArrayList<>();
        String configured = environment.get("HEROES_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Paths.get(configured, program));
        }
        for (int major = NEWEST_MAJOR; major >= OLDEST_MAJOR; major--) {
            candidates.add(debianRoot.resolve(Integer.toString(major)).resolve("bin").resolve(program));
        }
        candidates.addAll(onPath(program));
        return candidates;
    }

    /**
     * @param program a program ({@code pgbackrest})
     * @param debianPackage what provides it
     * @return the program on the {@code PATH}
     * @throws ToolNotFoundException when it is not there, naming the package
     */
    public Path program(String program, String debianPackage) {
        return findProgram(program).orElseThrow(() -> new ToolNotFoundException(program, debianPackage + " (Debian)"));
    }

    /**
     * @param program a program
     * @return it, when it is on the {@code PATH}
     */
    public Optional<Path> findProgram(String program) {
        return onPath(program).stream().filter(Files::isExecutable).findFirst();
    }

    private List<Path> onPath(String program) {
        List<Path> candidates = new ArrayList<>();
        for (String directory : environment.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                candidates.add(Paths.get(directory, program));
            }
        }
        return candidates;
    }
}
