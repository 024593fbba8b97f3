package org.heroesinwaiting.retention.physical;

import java.util.List;

/**
 * What a physical cleanup did: the expired backups it removed from pgBackRest's repository (each
 * now {@code deleted} in the catalog), and what it could not (they stay {@code expired}; the next
 * cleanup tries again).
 *
 * @param deleted the rows whose backups are gone from the repository
 * @param failures a backup that could not be expired, and why
 */
public record PhysicalCleanupResult(List<Long> deleted, List<String> failures) {

    public PhysicalCleanupResult {
        deleted = List.copyOf(deleted);
        failures = List.copyOf(failures);
    }
}
