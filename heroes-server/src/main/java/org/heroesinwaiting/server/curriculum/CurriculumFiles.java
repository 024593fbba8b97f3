package org.heroesinwaiting.server.curriculum;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.curriculum.ContentFiles;
import org.heroesinwaiting.core.curriculum.Curriculum;
import org.heroesinwaiting.core.curriculum.CurriculumManifest;
import org.heroesinwaiting.core.curriculum.ImportReport;
import org.heroesinwaiting.core.curriculum.InvalidCurriculumException;
import org.heroesinwaiting.core.curriculum.ManifestProblem;
import org.heroesinwaiting.core.curriculum.ManifestReader;

/**
 * Imports a manifest the way the command, the admin endpoint and the embedded default all do: read
 * and validate it whole, check its files against the content directory, then apply it in one
 * transaction. Also installs the default curriculum that ships in the server's jar.
 */
public final class CurriculumFiles {

    private static final String DEFAULT = "/org/heroesinwaiting/server/curriculum/default/";

    private final Curriculum curriculum;

    /** @param curriculum where to import */
    public CurriculumFiles(Curriculum curriculum) {
        this.curriculum = requireNonNull(curriculum, "curriculum");
    }

    /**
     * @param actor an admin or the system
     * @param manifest the manifest's bytes
     * @param contentDir where its files are; {@code null} to skip the file checks
     * @return what the import did
     * @throws InvalidCurriculumException with every problem of the file and its files; nothing changed
     */
    public ImportReport importManifest(ActorContext actor, byte[] manifest, Path contentDir) {
        ManifestReader.Reading read = ManifestReader.readAll(manifest);
        List<ManifestProblem> problems = new ArrayList<>(read.problems());
        if (contentDir != null && read.manifest() != null) {
            problems.addAll(ContentFiles.check(read.manifest(), contentDir));
        }
        if (!problems.isEmpty()) {
            throw new InvalidCurriculumException(problems);
        }
        return curriculum.importManifest(actor, read.manifest());
    }

    /**
     * On a database without a curriculum, copies the default curriculum's media into the content
     * directory and imports it; otherwise does nothing.
     *
     * @param contentDir where media are served from
     * @return what the import did, or empty when a curriculum was there already
     */
    public Optional<ImportReport> installDefaultIfEmpty(Path contentDir) {
        if (curriculum.revision() > 0) {
            return Optional.empty();
        }
        byte[] manifest = resource("manifest.json");
        try {
            for (String file : files(ManifestReader.read(manifest))) {
                Path target = contentDir.resolve(file);
                Files.createDirectories(target.getParent());
                try (InputStream in = CurriculumFiles.class.getResourceAsStream(DEFAULT + "media/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the default curriculum's file " + file + " is missing from the jar");
                    }
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the default curriculum's media into " + contentDir, e);
        }
        return Optional.of(importManifest(ActorContext.system(null), manifest, contentDir));
    }

    /** @return the default curriculum's manifest, as shipped */
    public static byte[] defaultManifest() {
        return resource("manifest.json");
    }

    private static List<String> files(CurriculumManifest manifest) {
        List<String> files = new ArrayList<>();
        manifest.lessons().forEach(lesson -> lesson.content().stream().filter(item -> item.file() != null)
                .forEach(item -> files.add(item.file())));
        return files;
    }

    private static byte[] resource(String name) {
        try (InputStream in = CurriculumFiles.class.getResourceAsStream(DEFAULT + name)) {
            if (in == null) {
                throw new IllegalStateException("the default curriculum's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
