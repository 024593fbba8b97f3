package org.heroesinwaiting.core.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalToolsTest {

    @TempDir
    Path root;

    @Test
    void heroesPgBinComesFirstThenTheNewestDebianVersionThenThePath() throws IOException {
        Path configured = executable(root.resolve("configured/pg_dump"));
        Path sixteen = executable(root.resolve("debian/16/bin/pg_dump"));
        executable(root.resolve("debian/15/bin/pg_dump"));
        Path onPath = executable(root.resolve("path/pg_dump"));
        Map<String, String> path = Map.of("PATH", root.resolve("path").toString());

        assertThat(ExternalTools.of(Map.of("HEROES_PG_BIN", configured.getParent().toString(), "PATH", path.get("PATH")),
                root.resolve("debian")).postgres("pg_dump")).isEqualTo(configured);
        assertThat(ExternalTools.of(path, root.resolve("debian")).postgres("pg_dump")).isEqualTo(sixteen);
        assertThat(ExternalTools.of(path, root.resolve("nowhere")).postgres("pg_dump")).isEqualTo(onPath);
    }

    @Test
    void aMissingProgramNamesWhatToInstall() throws IOException {
        Files.createDirectories(root.resolve("debian/15/bin"));
        Files.writeString(root.resolve("debian/15/bin/psql"), "not executable");
        ExternalTools tools = ExternalTools.of(Map.of("PATH", root.toString()), root.resolve("debian"));

        assertThatThrownBy(() -> tools.postgres("psql")).isInstanceOf(ToolNotFoundException.class)
                .hasMessage("psql is not installed: install postgresql-client-15 (Debian), or point HEROES_PG_BIN at the bin folder "
                        + "of PostgreSQL 15 or later");
        assertThatThrownBy(() -> tools.postgres("pgbench")).hasMessageStartingWith("pgbench is not installed: install postgresql-15 ");
        assertThatThrownBy(() -> tools.program("pgbackrest", "pgbackrest")).isInstanceOf(ToolNotFoundException.class)
                .hasMessage("pgbackrest is not installed: install pgbackrest (Debian)");
        assertThat(tools.findProgram("pgbackrest")).isEmpty();
    }

    @Test
    void aClientOlderThanTheServerIsPassedOverAndNamedWhenNoneFits() {
        ExternalTools tools = ExternalTools.system();
        Path pgDump = tools.postgres("pg_dump", ExternalTools.OLDEST_MAJOR);

        assertThat(ExternalTools.majorVersion(pgDump).orElse(0)).isGreaterThanOrEqualTo(ExternalTools.OLDEST_MAJOR);
        assertThatThrownBy(() -> tools.postgres("pg_dump", 99)).isInstanceOf(ToolNotFoundException.class)
                .hasMessageContaining("install postgresql-client-99 (Debian)").hasMessageContaining("is older than the server (99)");
        assertThat(ExternalTools.majorVersion(root)).as("not a program").isEmpty();
    }

    private static Path executable(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
