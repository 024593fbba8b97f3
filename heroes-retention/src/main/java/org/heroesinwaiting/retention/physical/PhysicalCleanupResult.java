package org.heroesinwaiting.retention.physical;

import java.nio.file.Path;
import java.util.List;

/**
 * What a physical cleanup did: the expired backups it removed from pgBackRest's repository (each
 * now {@code deleted} in the catalog), what it could not (they stay {@code expired}; the next
 * cleanup tries again), and the retiring repositories it released.
 *
 * @param deleted the rows whose backups are gone from the repository
 * @param failures a backup that could not be expired, and why
 * @param released retiring repositories (an older key's) that no kept backup needed any more: gone
 *     whole, with every backup and WAL segment in them
 */
public record PhysicalCleanupResult(List<Long> deleted, List<String> failures, List<Path> released) {

    public PhysicalCleanupResult {
        deleted = List.copyOf(deleted);
        failures = List.copyOf(failures);
        released = List.copyOf(released);
    }
}
