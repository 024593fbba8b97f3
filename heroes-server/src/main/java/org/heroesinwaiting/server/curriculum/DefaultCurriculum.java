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
import org.heroesinwaiting.core.curriculum.Curriculum;
import org.heroesinwaiting.core.curriculum.CurriculumManifest;
import org.heroesinwaiting.core.curriculum.ImportReport;
import org.heroesinwaiting.core.curriculum.ManifestReader;

/**
 * The default curriculum that ships in the server's jar: installed on an empty database (the
 * embedded default), through the library's import ({@link Curriculum#importFile}).
 */
public final class DefaultCurriculum {

    private static final String DEFAULT = "/org/heroesinwaiting/server/curriculum/default/";

    private final Curriculum curriculum;

    /** @param curriculum where to import */
    public DefaultCurriculum(Curriculum curriculum) {
        this.curriculum = requireNonNull(curriculum, "curriculum");
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
                try (InputStream in = DefaultCurriculum.class.getResourceAsStream(DEFAULT + "media/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the default curriculum's file " + file + " is missing from the jar");
                    }
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the default curriculum's media into " + contentDir, e);
        }
        return Optional.of(curriculum.importFile(ActorContext.system(null), manifest, contentDir));
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
        try (InputStream in = DefaultCurriculum.class.getResourceAsStream(DEFAULT + name)) {
            if (in == null) {
                throw new IllegalStateException("the default curriculum's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
