package org.heroesinwaiting.retention.physical;

import java.util.List;
import java.util.Optional;

/**
 * A stanza as {@code pgbackrest info --output=json} shows it.
 *
 * @param status its status code (0 ok, 2 no valid backups, ...)
 * @param message its status message
 * @param backups its backups, oldest first
 * @param archiveMin the oldest WAL segment in the archive
 * @param archiveMax the newest WAL segment in the archive
 */
public record PgBackRestInfo(int status, String message, List<PhysicalBackup> backups, Optional<String> archiveMin, Optional<String> archiveMax) {

    public PgBackRestInfo {
        backups = List.copyOf(backups);
    }
}
