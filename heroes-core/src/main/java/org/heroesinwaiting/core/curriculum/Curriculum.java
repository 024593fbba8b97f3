package org.heroesinwaiting.core.curriculum;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.heroesinwaiting.core.actor.ActorContext;

/**
 * The curriculum: imported whole from a manifest, read whole.
 *
 * <pre>{@code
 * ImportReport report = curriculum.importFile(ActorContext.system(null), Files.readAllBytes(file), contentDir);
 * CurriculumSnapshot now = curriculum.snapshot();
 * }</pre>
 */
public interface Curriculum {

    /**
     * Applies a manifest in one transaction: lessons by number, items by key and questions by id
     * are updated in place (their ids never change); items no longer listed are deleted, or retired
     * when progress refers to them; questions no longer listed are deleted.
     *
     * @param actor an admin or the system
     * @param manifest a validated manifest (check its files with {@link ContentFiles} first)
     * @return what changed
     */
    ImportReport importManifest(ActorContext actor, CurriculumManifest manifest);

    /**
     * The whole import, as the server's command, its admin endpoint and a host all do it: read and
     * validate the file whole, check its files against the content directory, then apply it in one
     * transaction.
     *
     * @param actor an admin or the system
     * @param manifest the manifest file's bytes (JSON, format 1)
     * @param contentDir where its files are; {@code null} to skip the file checks
     * @return what changed
     * @throws InvalidCurriculumException with every problem of the file and its files; then nothing changed
     */
    default ImportReport importFile(ActorContext actor, byte[] manifest, Path contentDir) {
        ManifestReader.Reading read = ManifestReader.readAll(manifest);
        List<ManifestProblem> problems = new ArrayList<>(read.problems());
        if (contentDir != null && read.manifest() != null) {
            problems.addAll(ContentFiles.check(read.manifest(), contentDir));
        }
        if (!problems.isEmpty()) {
            throw new InvalidCurriculumException(problems);
        }
        return importManifest(actor, read.manifest());
    }

    /** @return the curriculum as it is now */
    CurriculumSnapshot snapshot();

    /** @return the current revision (0 before the first import): cheap, for polling */
    long revision();

    /**
     * @param sha256 a media file's SHA-256
     * @return its path under the content directory and its media type, when a live item has that file
     */
    Optional<MediaFile> media(String sha256);

    /**
     * @param path relative to the content directory
     * @param mimeType its media type
     * @param sizeBytes its size
     */
    record MediaFile(String path, String mimeType, long sizeBytes) {
    }
}
