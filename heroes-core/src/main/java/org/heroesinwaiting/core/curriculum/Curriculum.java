package org.heroesinwaiting.core.curriculum;

import java.util.Optional;
import org.heroesinwaiting.core.actor.ActorContext;

/**
 * The curriculum: imported whole from a manifest, read whole.
 *
 * <pre>{@code
 * ImportReport report = curriculum.importManifest(ActorContext.system(null), ManifestReader.read(bytes));
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
