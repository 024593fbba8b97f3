package org.heroesinwaiting.retention.backup;

import java.nio.file.Path;
import java.util.List;

/**
 * What a cleanup did: the backups past their class's period whose files it deleted (each now
 * {@code deleted} in the catalog), and what it could not delete (they stay {@code expired}; the
 * next cleanup tries again).
 *
 * @param deleted the backups whose files are gone
 * @param filesDeleted the files deleted
 * @param failures a file that could not be deleted, and why
 */
public record CleanupResult(List<Long> deleted, List<Path> filesDeleted, List<String> failures) {

    public CleanupResult {
        deleted = List.copyOf(deleted);
        filesDeleted = List.copyOf(filesDeleted);
        failures = List.copyOf(failures);
    }
}
