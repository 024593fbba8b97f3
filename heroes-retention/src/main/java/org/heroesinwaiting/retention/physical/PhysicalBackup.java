package org.heroesinwaiting.retention.physical;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One backup in a pgBackRest repository, as {@code pgbackrest info --output=json} shows it.
 *
 * @param label its label ({@code 20261204-194512F}, an incremental {@code ..._20261204-194516I})
 * @param type {@code full}, {@code diff} or {@code incr}
 * @param prior the backup it builds on (none for a full)
 * @param walStart the first WAL segment it needs
 * @param walStop the last WAL segment it needs
 * @param lsnStart where it starts in the WAL
 * @param lsnStop where it is consistent
 * @param startedAt when it started
 * @param stoppedAt when it stopped
 * @param sizeBytes the cluster's size it restores
 * @param repositoryBytes what it takes in the repository (its own files, compressed)
 * @param annotations what the orchestrator tagged it with ({@code --annotation})
 * @param repository the repository that holds it, by pgBackRest's index: 1 is the current one,
 *     2 and later retiring ones ({@link PgBackRestConfig#retiring})
 */
public record PhysicalBackup(String label, String type, Optional<String> prior, String walStart, String walStop, String lsnStart, String lsnStop,
        Instant startedAt, Instant stoppedAt, long sizeBytes, long repositoryBytes, Map<String, String> annotations, int repository) {

    public PhysicalBackup {
        requireNonNull(label, "label");
        requireNonNull(type, "type");
        requireNonNull(prior, "prior");
        annotations = Map.copyOf(annotations);
    }
}
