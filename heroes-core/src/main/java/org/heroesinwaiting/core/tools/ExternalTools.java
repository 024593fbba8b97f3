package org.heroesinwaiting.core.tools;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
     * @param program {@code pg_dump}, {@code psql}, ...
     * @return the program, when found
     */
    public Optional<Path> findPostgres(String program) {
        List<Path> candidates = new ArrayList<>();
        String configured = environment.get("HEROES_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Paths.get(configured, program));
        }
        for (int major = NEWEST_MAJOR; major >= OLDEST_MAJOR; major--) {
            candidates.add(debianRoot.resolve(Integer.toString(major)).resolve("bin").resolve(program));
        }
        candidates.addAll(onPath(program));
        return candidates.stream().filter(Files::isExecutable).findFirst();
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
